/**
 * The chat's vocabulary: posted and stored messages and history pages, as plain records.
 */
@NullMarked
package dev.skyfold.chat.domain;

import org.jspecify.annotations.NullMarked;
