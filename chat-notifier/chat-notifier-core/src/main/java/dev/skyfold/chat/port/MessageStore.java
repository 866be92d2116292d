package dev.skyfold.chat.port;

import java.time.Instant;
import java.util.List;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import org.jspecify.annotations.Nullable;

/**
 * Durable storage of chat messages: a JDBC database, DynamoDB or Azure Table.
 */
public interface MessageStore {

	/**
	 * Stores a message, once per client message id: when the room already holds a message
	 * with the same {@link NewMessage#clientMessageId()}, that message is returned and
	 * nothing is stored.
	 * @param message the message
	 * @param id the id to store it under
	 * @param createdAt the time to store it with
	 * @return the stored message, and whether this call stored it
	 */
	Saved save(NewMessage message, String id, Instant createdAt);

	/**
	 * Reads a room's latest messages, or those just before a position, in history order:
	 * by {@code createdAt}, then by {@code id}.
	 * @param room the room
	 * @param before only messages before this position: stored before its instant, or at
	 * its instant with an id lower than its id; {@code null} for the latest
	 * @param limit how many at most
	 * @return the messages, oldest first
	 */
	List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit);

	/**
	 * The outcome of {@link #save}.
	 *
	 * @param message the stored message
	 * @param created whether this call stored it, rather than finding it stored already
	 */
	record Saved(ChatMessage message, boolean created) {
	}

}
