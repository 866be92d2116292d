package dev.skyfold.chat.domain;

import java.time.DateTimeException;
import java.time.Instant;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;

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

	/**
	 * A request from the query parameters of an HTTP host
	 * ({@code ?room=…&before=…&limit=…}).
	 * @param room the {@code room} parameter
	 * @param before the {@code before} parameter, an ISO-8601 instant, or absent
	 * @param limit the {@code limit} parameter, a number, or absent
	 * @return the request
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when {@code before} or
	 * {@code limit} cannot be read
	 */
	public static HistoryRequest fromQuery(@Nullable String room, @Nullable String before, @Nullable String limit) {
		return new HistoryRequest(room, instant(before), number(limit));
	}

	private static @Nullable Instant instant(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			return Instant.parse(value);
		}
		catch (DateTimeException ex) {
			throw new RejectedInputException(Rejection.INVALID,
					"'before' must be an ISO-8601 instant such as 2026-03-01T12:00:00Z, not '" + value + "'", ex);
		}
	}

	private static @Nullable Integer number(@Nullable String value) {
		if (value == null || value.isEmpty()) {
			return null;
		}
		try {
			return Integer.valueOf(value);
		}
		catch (NumberFormatException ex) {
			throw new RejectedInputException(Rejection.INVALID, "'limit' must be a number, not '" + value + "'", ex);
		}
	}

}
