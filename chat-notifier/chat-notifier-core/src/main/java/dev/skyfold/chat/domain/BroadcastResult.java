package dev.skyfold.chat.domain;

import java.util.List;

/**
 * What broadcasting one message achieved, broadcaster by broadcaster.
 *
 * @param messageId the message broadcast
 * @param delivered the broadcasters that took the message
 * @param failed the broadcasters that did not, after any retries
 * @param failedTransiently those of the failed broadcasters whose last failure was
 * transient (overload, server error, timeout), so that broadcasting the message again
 * later may reach them; a stream host reports such messages for another delivery
 */
public record BroadcastResult(String messageId, List<String> delivered, List<String> failed,
		List<String> failedTransiently) {

	public BroadcastResult {
		delivered = List.copyOf(delivered);
		failed = List.copyOf(failed);
		failedTransiently = List.copyOf(failedTransiently);
		if (!failed.containsAll(failedTransiently)) {
			throw new IllegalArgumentException(
					"Transiently failed broadcasters " + failedTransiently + " must be among the failed " + failed);
		}
	}

	/**
	 * A result in which no failure was transient.
	 * @param messageId the message broadcast
	 * @param delivered the broadcasters that took the message
	 * @param failed the broadcasters that did not, for good
	 */
	public BroadcastResult(String messageId, List<String> delivered, List<String> failed) {
		this(messageId, delivered, failed, List.of());
	}

	/**
	 * Whether every broadcaster took the message.
	 * @return {@code true} when none failed
	 */
	public boolean succeeded() {
		return this.failed.isEmpty();
	}

	/**
	 * Whether broadcasting the message again later may reach a broadcaster that missed
	 * it.
	 * @return {@code true} when a broadcaster failed transiently
	 */
	public boolean worthRetrying() {
		return !this.failedTransiently.isEmpty();
	}

}
