package dev.skyfold.local.chat;

import java.util.function.Consumer;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.LiveFeed;

/**
 * A live feed made of a name and a delivery.
 *
 * @param name the name in broadcast results, logs and metrics
 * @param delivery hands a stored message on to the live streams
 */
record NamedLiveFeed(String name, Consumer<ChatMessage> delivery) implements LiveFeed {

	@Override
	public void deliver(ChatMessage message) {
		this.delivery.accept(message);
	}

}
