package dev.skyfold.chat.domain;

import java.time.Instant;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * A place in a room's history, which orders messages by {@code createdAt}, then by
 * {@code id}: a page of history is the messages just before it. With an id it is the
 * exact place of a message, so that paging back from the oldest message shown sees every
 * other message once, also those stored at the same instant; without one it is the start
 * of an instant, before every message stored then.
 *
 * @param createdAt the instant
 * @param id the id of a message stored at that instant, or {@code null} for the start of
 * the instant; up to 128 printable characters
 */
public record HistoryPosition(Instant createdAt, @Nullable String id) {

	/** The longest id, in UTF-16 code units, as for a client message id. */
	public static final int MAX_ID = 128;

	/**
	 * The earliest instant a store must keep: the start of year 0. Nothing comes before a
	 * position earlier than that.
	 */
	public static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

	/**
	 * The latest instant a store must keep: the last microsecond of year 9999. Every
	 * message comes before a position later than that.
	 */
	public static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999Z");

	/**
	 * Checks the position.
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when the id is empty,
	 * longer than {@value #MAX_ID} or holds characters that are not printable
	 */
	public HistoryPosition {
		if (createdAt == null) {
			throw new RejectedInputException(Rejection.INVALID, "A history position needs an instant");
		}
		if (id != null && (id.isEmpty() || id.length() > MAX_ID || !NewMessage.isPrintable(id, false))) {
			throw new RejectedInputException(Rejection.INVALID,
					"'beforeId' must be 1 to " + MAX_ID + " printable characters, the id of a message");
		}
	}

	/**
	 * The start of an instant: before every message stored then.
	 * @param createdAt the instant
	 * @return the position
	 */
	public static HistoryPosition before(Instant createdAt) {
		return new HistoryPosition(createdAt, null);
	}

	/**
	 * The place of a message, to page back from it.
	 * @param message the message, typically the oldest of the last page
	 * @return the position
	 */
	public static HistoryPosition of(ChatMessage message) {
		return new HistoryPosition(message.createdAt(), message.id());
	}

	/**
	 * Whether a message comes before this position in history order.
	 * @param message the message
	 * @return {@code true} when it was stored earlier, or at this instant with a lower id
	 */
	public boolean follows(ChatMessage message) {
		int byTime = message.createdAt().compareTo(this.createdAt);
		return byTime < 0 || (byTime == 0 && this.id != null && message.id().compareTo(this.id) < 0);
	}

}
