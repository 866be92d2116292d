package dev.skyfold.chat.domain;

import java.util.List;

/**
 * What broadcasting one message achieved, broadcaster by broadcaster.
 *
 * @param messageId the message broadcast
 * @param delivered the broadcasters that took the message
 * @param failed the broadcasters that did not, after any retries
 */
public record BroadcastResult(String messageId, List<String> delivered, List<String> failed) {

	public BroadcastResult {
		delivered = List.copyOf(delivered);
		failed = List.copyOf(failed);
	}

	/**
	 * Whether every broadcaster took the message.
	 * @return {@code true} when none failed
	 */
	public boolean succeeded() {
		return this.failed.isEmpty();
	}

}
