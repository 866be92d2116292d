package dev.skyfold.chat.port;

import dev.skyfold.chat.domain.ChatMessage;

/**
 * Delivers a stored message to the live subscribers of its room, such as browsers with
 * the room open. Only hosts that have live subscribers provide one, and a host provides
 * at most one; push channels such as FCM are {@link Broadcaster}s instead.
 */
public interface LiveFeed {

	/**
	 * Delivers a message to its room's live subscribers.
	 * @param message the stored message
	 * @throws BroadcastException when the message could not be delivered, saying whether
	 * trying again may help
	 */
	void deliver(ChatMessage message);

	/**
	 * A short name for logs, metrics and broadcast results.
	 * @return the name, such as {@code in-process}
	 */
	default String name() {
		return "live";
	}

}
