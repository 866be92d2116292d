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
