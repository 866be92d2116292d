/**
 * Brings the Azure Table message store into the chat's Azure Functions app.
 */
@NullMarked
package dev.skyfold.chat.azure.autoconfigure;

import org.jspecify.annotations.NullMarked;
