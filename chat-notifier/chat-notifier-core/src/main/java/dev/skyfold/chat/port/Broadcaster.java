package dev.skyfold.chat.port;

import java.time.Duration;

import dev.skyfold.chat.domain.ChatMessage;

/**
 * Sends a stored message to a room's audience: live browsers, an FCM topic. A broadcaster
 * that fails throws a {@link BroadcastException} saying whether trying again may help.
 */
public interface Broadcaster {

	/**
	 * Sends a message to everyone in its room.
	 * @param message the stored message
	 * @throws BroadcastException when the message could not be sent
	 */
	void broadcast(ChatMessage message);

	/**
	 * The longest one attempt may take (its client's timeouts), so that a host with a
	 * deadline starts no attempt that could outlast it.
	 * @return the longest attempt; zero when it does not wait on anything
	 */
	default Duration longestAttempt() {
		return Duration.ZERO;
	}

	/**
	 * A short name for logs and metrics.
	 * @return the name, such as {@code fcm}
	 */
	default String name() {
		return getClass().getSimpleName();
	}

}
