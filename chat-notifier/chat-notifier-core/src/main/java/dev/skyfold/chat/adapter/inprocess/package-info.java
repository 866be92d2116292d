/**
 * Broadcasts to listeners in the same process, such as the local app's live streams.
 */
@NullMarked
package dev.skyfold.chat.adapter.inprocess;

import org.jspecify.annotations.NullMarked;
