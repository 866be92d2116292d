package dev.skyfold.chat.adapter.jdbc;

import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import org.jspecify.annotations.Nullable;

import org.springframework.dao.DuplicateKeyException;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Stores messages in the {@code chat_message} table of any JDBC database; the same SQL
 * runs on the embedded H2 default and on PostgreSQL. The schema is the Flyway migration
 * under {@code db/migration/chat}. A unique index on {@code (room, client_message_id)}
 * makes a repeated post store nothing, even when two arrive at once; history reads the
 * index on {@code (room, created_at, id)} backwards from the page's position.
 */
public final class JdbcMessageStore implements MessageStore {

	private static final String COLUMNS = "id, room, author, body, created_at";

	private static final String SELECT = "SELECT " + COLUMNS + " FROM chat_message WHERE room = ?";

	private static final String ORDER = " ORDER BY created_at DESC, id DESC LIMIT ?";

	private final JdbcClient jdbc;

	public JdbcMessageStore(JdbcClient jdbc) {
		this.jdbc = jdbc;
	}

	@Override
	public Saved save(NewMessage message, String id, Instant createdAt) {
		if (message.clientMessageId() != null) {
			Optional<ChatMessage> existing = findByClientId(message.room(), message.clientMessageId());
			if (existing.isPresent()) {
				return new Saved(existing.get(), false);
			}
		}
		try {
			this.jdbc.sql("INSERT INTO chat_message (" + COLUMNS + ", client_message_id) VALUES (?, ?, ?, ?, ?, ?)")
				.params(id, message.room(), message.author(), message.text(), createdAt.atOffset(ZoneOffset.UTC),
						message.clientMessageId())
				.update();
		}
		catch (DuplicateKeyException ex) {
			// The same client id, posted concurrently: the other post won.
			if (message.clientMessageId() != null) {
				return new Saved(findByClientId(message.room(), message.clientMessageId()).orElseThrow(() -> ex),
						false);
			}
			throw ex;
		}
		return new Saved(new ChatMessage(id, message.room(), message.author(), message.text(), createdAt), true);
	}

	@Override
	public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
		if (before != null && before.createdAt().isBefore(HistoryPosition.EARLIEST)) {
			return List.of();
		}
		// Beyond the years a timestamp column keeps, every message is before the
		// position.
		if (before != null && before.createdAt().isAfter(HistoryPosition.LATEST)) {
			before = null;
		}
		List<ChatMessage> newestFirst;
		if (before == null) {
			newestFirst = this.jdbc.sql(SELECT + ORDER).params(room, limit).query(JdbcMessageStore::message).list();
		}
		else if (before.id() == null) {
			newestFirst = this.jdbc.sql(SELECT + " AND created_at < ?" + ORDER)
				.params(room, before.createdAt().atOffset(ZoneOffset.UTC), limit)
				.query(JdbcMessageStore::message)
				.list();
		}
		else {
			// The first bound lets the index scan start at the position's instant.
			OffsetDateTime createdAt = before.createdAt().atOffset(ZoneOffset.UTC);
			newestFirst = this.jdbc
				.sql(SELECT + " AND created_at <= ? AND (created_at < ? OR (created_at = ? AND id < ?))" + ORDER)
				.params(room, createdAt, createdAt, createdAt, before.id(), limit)
				.query(JdbcMessageStore::message)
				.list();
		}
		List<ChatMessage> oldestFirst = new ArrayList<>(newestFirst);
		Collections.reverse(oldestFirst);
		return oldestFirst;
	}

	private Optional<ChatMessage> findByClientId(String room, String clientMessageId) {
		return this.jdbc.sql("SELECT " + COLUMNS + " FROM chat_message WHERE room = ? AND client_message_id = ?")
			.params(room, clientMessageId)
			.query(JdbcMessageStore::message)
			.optional();
	}

	private static ChatMessage message(ResultSet row, int rowNumber) throws SQLException {
		return new ChatMessage(row.getString("id"), row.getString("room"), row.getString("author"),
				row.getString("body"), row.getObject("created_at", OffsetDateTime.class).toInstant());
	}

}
