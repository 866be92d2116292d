/**
 * Chat messages in an Azure Table, a partition per room, through the Azure Tables SDK.
 */
@NullMarked
package dev.skyfold.chat.azure.table;

import org.jspecify.annotations.NullMarked;
