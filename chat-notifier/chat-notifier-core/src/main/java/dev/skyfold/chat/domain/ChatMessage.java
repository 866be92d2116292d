package dev.skyfold.chat.domain;

import java.time.Instant;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;

/**
 * A stored chat message: what {@code postMessage} returns, what history lists and what
 * broadcasts carry.
 *
 * @param id the message's id, unique across rooms
 * @param room the room
 * @param author who wrote it
 * @param text what they wrote
 * @param createdAt when it was stored
 */
public record ChatMessage(String id, String room, String author, String text, Instant createdAt) {

	public ChatMessage {
		if (id == null || room == null || author == null || text == null || createdAt == null) {
			throw new RejectedInputException(Rejection.INVALID,
					"A stored message needs an id, room, author, text and createdAt");
		}
	}

}
