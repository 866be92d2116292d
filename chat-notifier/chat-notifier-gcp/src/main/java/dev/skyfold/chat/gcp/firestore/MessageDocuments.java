package dev.skyfold.chat.gcp.firestore;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.MessageAttributes;
import dev.skyfold.chat.domain.NewMessage;
import org.jspecify.annotations.Nullable;

/**
 * How chat messages lie in Firestore, shared by the store, the reader of the
 * document-created events that broadcast them, and the deployment (trigger path,
 * indexes). One document per message, {@code <rooms>/{room}/messages/{key}}, where
 * {@code <rooms>} is the store's root collection ({@value #DEFAULT_ROOMS} by default):
 * <ul>
 * <li>the key is {@code c_<clientMessageId>} for a message posted with a client message
 * id, else {@code m_<id>}, with {@code %} and {@code /} percent-encoded (a document id
 * cannot hold a slash), so that a create-only write makes a client message id unique in
 * its room, and the document-created event fires once per message;</li>
 * <li>string fields: the message's {@link MessageAttributes} ({@value #ID},
 * {@value #AUTHOR}, {@value #TEXT}, {@value #CREATED_AT} in ISO-8601, UTC and
 * {@value #CLIENT_MESSAGE_ID} when given), its {@value #ROOM}, and {@value #TIME_KEY}:
 * {@code <createdAt, UTC, nine fraction digits>#<id>}, which orders a room's messages by
 * time, then id.</li>
 * </ul>
 * History is one query per page on {@value #TIME_KEY} alone, which Firestore's automatic
 * single-field index serves: no composite index is needed. The module's
 * {@code firestore.indexes.json} only exempts {@value #TEXT}, up to 16 KB, from indexing.
 * The instant is a string rather than a Firestore timestamp, because timestamps start at
 * year 1 while messages are kept from year 0
 * ({@link dev.skyfold.chat.domain.HistoryPosition#EARLIEST}).
 */
public final class MessageDocuments {

	/** The root collection of the rooms unless the store is given another. */
	public static final String DEFAULT_ROOMS = "rooms";

	/** The sub-collection of a room's document that holds its messages. */
	public static final String MESSAGES = "messages";

	/** The message's id. */
	public static final String ID = MessageAttributes.ID;

	/** The message's room, also the parent document's id. */
	public static final String ROOM = MessageAttributes.ROOM;

	/** The message's author. */
	public static final String AUTHOR = MessageAttributes.AUTHOR;

	/** The message's text. */
	public static final String TEXT = MessageAttributes.TEXT;

	/** When the message was stored, ISO-8601 in UTC. */
	public static final String CREATED_AT = MessageAttributes.CREATED_AT;

	/** The client's id for the message, when it gave one. */
	public static final String CLIENT_MESSAGE_ID = MessageAttributes.CLIENT_MESSAGE_ID;

	/** The key that orders a room's messages by time, then id. */
	public static final String TIME_KEY = "timeKey";

	/** The document key prefix of messages posted with a client message id. */
	static final String BY_CLIENT_ID = "c_";

	/** The document key prefix of messages posted without one. */
	static final String BY_ID = "m_";

	/** The earliest instant stored. */
	static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

	/** The latest instant stored. */
	static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

	/** Fixed width, so that text order is time order from year 0 to 9999. */
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	private MessageDocuments() {
	}

	/**
	 * The path pattern of the message documents, as a Firestore trigger's
	 * {@code document} filter takes it.
	 * @param rooms the root collection
	 * @return {@code <rooms>/{room}/messages/{message}}
	 */
	public static String pathPattern(String rooms) {
		return rooms + "/{room}/" + MESSAGES + "/{message}";
	}

	/**
	 * Reads a stored message from a document's string fields, whichever API delivered the
	 * document (the client, a document-created event).
	 * @param field the string value of a field by name, {@code null} when absent
	 * @return the message
	 * @throws IllegalArgumentException when the document lacks a message field or holds
	 * an unreadable instant
	 */
	public static ChatMessage message(Function<String, @Nullable String> field) {
		return MessageAttributes.message(field);
	}

	/**
	 * The id of a message's document in its room's {@value #MESSAGES} collection.
	 */
	static String documentId(NewMessage message, String id) {
		return (message.clientMessageId() != null) ? BY_CLIENT_ID + escape(message.clientMessageId())
				: BY_ID + escape(id);
	}

	/**
	 * The fields of a message's document.
	 */
	static Map<String, Object> fields(NewMessage message, String id, Instant createdAt) {
		Map<String, Object> fields = new LinkedHashMap<>(MessageAttributes.of(message, id, createdAt));
		fields.put(ROOM, message.room());
		fields.put(TIME_KEY, timeKey(createdAt, id));
		return fields;
	}

	/**
	 * The {@value #TIME_KEY} of a message, or, without an id, the prefix of the messages
	 * stored at an instant: every message stored earlier sorts before it, every message
	 * stored then or later after it. The instant has a fixed width, so that the keys of
	 * one instant order by id.
	 */
	static String timeKey(Instant instant, @Nullable String id) {
		return (id != null) ? TIME.format(instant) + "#" + id : TIME.format(instant);
	}

	/** Percent-encodes {@code %} and {@code /}: one-to-one, and no slash is left. */
	private static String escape(String value) {
		return value.replace("%", "%25").replace("/", "%2F");
	}

}
