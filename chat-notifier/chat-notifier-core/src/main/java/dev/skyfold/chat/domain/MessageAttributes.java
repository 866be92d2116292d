package dev.skyfold.chat.domain;

import java.time.DateTimeException;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * A stored message as the named string attributes that key-value stores keep (a DynamoDB
 * item, an Azure Table entity), and back: one layout for every such store and for the
 * readers of their change streams.
 */
public final class MessageAttributes {

	/** The message's id. */
	public static final String ID = "id";

	/** The message's room, which such stores usually keep as the partition key. */
	public static final String ROOM = "room";

	/** The message's author. */
	public static final String AUTHOR = "author";

	/** The message's text. */
	public static final String TEXT = "text";

	/** When the message was stored, ISO-8601 in UTC. */
	public static final String CREATED_AT = "createdAt";

	/** The client's id for the message, when it gave one. */
	public static final String CLIENT_MESSAGE_ID = "clientMessageId";

	/** The attributes {@link #of} gives, in its order. */
	public static final List<String> STORED = List.of(ID, AUTHOR, TEXT, CREATED_AT, CLIENT_MESSAGE_ID);

	private MessageAttributes() {
	}

	/**
	 * The attributes of a message to store, but its room: {@value #ID}, {@value #AUTHOR},
	 * {@value #TEXT}, {@value #CREATED_AT} and, when it was posted with one,
	 * {@value #CLIENT_MESSAGE_ID}.
	 * @param message the message
	 * @param id its id
	 * @param createdAt when it is stored
	 * @return the attributes by name, in the order of {@link #STORED}
	 */
	public static Map<String, String> of(NewMessage message, String id, Instant createdAt) {
		Map<String, String> attributes = new LinkedHashMap<>();
		attributes.put(ID, id);
		attributes.put(AUTHOR, message.author());
		attributes.put(TEXT, message.text());
		attributes.put(CREATED_AT, createdAt.toString());
		if (message.clientMessageId() != null) {
			attributes.put(CLIENT_MESSAGE_ID, message.clientMessageId());
		}
		return attributes;
	}

	/**
	 * Reads a stored message back from its attributes.
	 * @param attribute the string value of an attribute by name, {@code null} when
	 * absent; {@value #ROOM} included
	 * @return the message
	 * @throws IllegalArgumentException when an attribute is missing or
	 * {@value #CREATED_AT} is no instant
	 */
	public static ChatMessage message(Function<String, @Nullable String> attribute) {
		String createdAt = required(attribute, CREATED_AT);
		try {
			return new ChatMessage(required(attribute, ID), required(attribute, ROOM), required(attribute, AUTHOR),
					required(attribute, TEXT), Instant.parse(createdAt));
		}
		catch (DateTimeException ex) {
			throw new IllegalArgumentException(
					"The stored message's " + CREATED_AT + " is not an instant: '" + createdAt + "'", ex);
		}
	}

	private static String required(Function<String, @Nullable String> attribute, String name) {
		String value = attribute.apply(name);
		if (value == null) {
			throw new IllegalArgumentException("The stored message has no string attribute '" + name + "'");
		}
		return value;
	}

}
