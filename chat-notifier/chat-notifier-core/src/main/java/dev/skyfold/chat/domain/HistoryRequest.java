package dev.skyfold.chat.domain;

import java.time.Instant;

import org.jspecify.annotations.Nullable;

/**
 * Asks for a room's latest messages.
 *
 * @param room the room
 * @param before only messages stored before this instant, to page back; {@code null} for
 * the latest
 * @param limit how many messages at most, 1 to 200; {@code null} for the default
 */
public record HistoryRequest(@Nullable String room, @Nullable Instant before, @Nullable Integer limit) {

	public HistoryRequest(String room) {
		this(room, null, null);
	}

}
