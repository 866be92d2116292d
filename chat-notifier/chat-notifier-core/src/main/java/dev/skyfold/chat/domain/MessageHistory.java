package dev.skyfold.chat.domain;

import java.util.List;

/**
 * A page of a room's history, oldest message first.
 *
 * @param room the room
 * @param messages the messages, oldest first; empty for a room nobody wrote in
 */
public record MessageHistory(String room, List<ChatMessage> messages) {

	public MessageHistory {
		messages = List.copyOf(messages);
	}

}
