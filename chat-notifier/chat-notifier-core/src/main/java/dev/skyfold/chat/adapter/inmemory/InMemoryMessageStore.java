package dev.skyfold.chat.adapter.inmemory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import org.jspecify.annotations.Nullable;

/**
 * Keeps messages in memory: for tests and hosts without a database. Nothing survives a
 * restart.
 */
public final class InMemoryMessageStore implements MessageStore {

	private static final Comparator<ChatMessage> ORDER = Comparator.comparing(ChatMessage::createdAt)
		.thenComparing(ChatMessage::id);

	private final Map<String, List<ChatMessage>> rooms = new HashMap<>();

	private final Map<String, ChatMessage> byClientId = new HashMap<>();

	@Override
	public synchronized Saved save(NewMessage message, String id, Instant createdAt) {
		String clientKey = (message.clientMessageId() != null) ? message.room() + "\n" + message.clientMessageId()
				: null;
		if (clientKey != null && this.byClientId.containsKey(clientKey)) {
			return new Saved(this.byClientId.get(clientKey), false);
		}
		ChatMessage stored = new ChatMessage(id, message.room(), message.author(), message.text(), createdAt);
		this.rooms.computeIfAbsent(message.room(), (room) -> new ArrayList<>()).add(stored);
		if (clientKey != null) {
			this.byClientId.put(clientKey, stored);
		}
		return new Saved(stored, true);
	}

	@Override
	public synchronized List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
		List<ChatMessage> matching = this.rooms.getOrDefault(room, List.of())
			.stream()
			.filter((message) -> before == null || before.follows(message))
			.sorted(ORDER)
			.toList();
		return matching.subList(Math.max(0, matching.size() - limit), matching.size());
	}

}
