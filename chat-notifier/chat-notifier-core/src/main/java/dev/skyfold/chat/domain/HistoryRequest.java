package dev.skyfold.chat.domain;

import java.time.DateTimeException;
import java.time.Instant;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;

import org.jspecify.annotations.Nullable;

/**
 * Asks for a room's latest messages, or, to page back, for those just before a place in
 * its history, which orders messages by {@code createdAt}, then {@code id}. To read the
 * page before the oldest message a client has, it sends that message's {@code createdAt}
 * as {@code before} and its {@code id} as {@code beforeId}: then every message is seen
 * once, also when several share an instant.
 *
 * @param room the room
 * @param before only messages stored before this instant (or, with {@code beforeId},
 * before that message), to page back; {@code null} for the latest
 * @param beforeId the id of the message stored at {@code before} to page back from:
 * messages of that instant with a lower id are included; {@code null} to page back from
 * the start of the instant. Only with {@code before}
 * @param limit how many messages at most, 1 to 200; {@code null} for the default
 */
public record HistoryRequest(@Nullable String room, @Nullable Instant before, @Nullable String beforeId,
		@Nullable Integer limit) {

	public HistoryRequest {
		if (beforeId != null && beforeId.isEmpty()) {
			beforeId = null;
		}
	}

	public HistoryRequest(@Nullable String room, @Nullable Instant before, @Nullable Integer limit) {
		this(room, before, null, limit);
	}

	public HistoryRequest(String room) {
		this(room, null, null, null);
	}

	/**
	 * A request from the query parameters of an HTTP host
	 * ({@code ?room=…&before=…&beforeId=…&limit=…}).
	 * @param room the {@code room} parameter
	 * @param before the {@code before} parameter, an ISO-8601 instant, or absent
	 * @param beforeId the {@code beforeId} parameter, a message id, or absent
	 * @param limit the {@code limit} parameter, a number, or absent
	 * @return the request
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when {@code before},
	 * {@code beforeId} or {@code limit} cannot be read, or {@code beforeId} comes without
	 * {@code before}
	 */
	public static HistoryRequest fromQuery(@Nullable String room, @Nullable String before, @Nullable String beforeId,
			@Nullable String limit) {
		HistoryRequest request = new HistoryRequest(room, instant(before), beforeId, number(limit));
		request.position();
		return request;
	}

	/**
	 * Where to page back from.
	 * @return the place of {@code beforeId} at {@code before}, or the start of
	 * {@code before} without an id; {@code null} for the latest messages
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when {@code beforeId} is
	 * not an id, or comes without {@code before}
	 */
	public @Nullable HistoryPosition position() {
		if (this.before == null) {
			if (this.beforeId != null) {
				throw new RejectedInputException(Rejection.INVALID,
						"'beforeId' needs 'before': send the createdAt and the id of the message to page back from");
			}
			return null;
		}
		return new HistoryPosition(this.before, this.beforeId);
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
