package dev.skyfold.chat.aws.dynamodb;

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
import software.amazon.awssdk.services.dynamodb.model.AttributeDefinition;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.BillingMode;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.LocalSecondaryIndex;
import software.amazon.awssdk.services.dynamodb.model.Projection;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.ScalarAttributeType;
import software.amazon.awssdk.services.dynamodb.model.StreamSpecification;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

/**
 * The chat table's layout, shared by the store, the stream reader and whoever creates the
 * table (the SAM template, the tests). One item per message:
 * <ul>
 * <li>partition key {@value #ROOM} (S): the room;</li>
 * <li>sort key {@value #MESSAGE_KEY} (S): {@code c#<clientMessageId>} for a message
 * posted with a client message id, else {@code m#<id>}, so that a conditional put makes a
 * client message id unique in its room;</li>
 * <li>local secondary index {@value #TIME_INDEX} (projection ALL) on {@value #ROOM} and
 * {@value #TIME_KEY} (S): {@code <createdAt, UTC, nine fraction digits>#<id>}, which
 * orders a room's messages by time, then id, and is read with strong consistency;</li>
 * <li>plain attributes: the message's {@link MessageAttributes}.</li>
 * </ul>
 * The stream ({@code NEW_IMAGE}) then carries exactly one INSERT per stored message. A
 * local secondary index caps a room at 10 GB of messages.
 */
public final class MessageTable {

	/** The partition key: the room. */
	public static final String ROOM = MessageAttributes.ROOM;

	/** The sort key: what makes a message unique in its room. */
	public static final String MESSAGE_KEY = "messageKey";

	/** The local secondary index that orders a room's messages by time. */
	public static final String TIME_INDEX = "byTime";

	/** The sort key of {@link #TIME_INDEX}. */
	public static final String TIME_KEY = "timeKey";

	/** The sort key prefix of messages posted with a client message id. */
	static final String BY_CLIENT_ID = "c#";

	/** The sort key prefix of messages posted without one. */
	static final String BY_ID = "m#";

	/** Fixed width, so that text order is time order from year 0 to 9999. */
	private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	static final Instant EARLIEST = Instant.parse("0000-01-01T00:00:00Z");

	static final Instant LATEST = Instant.parse("9999-12-31T23:59:59.999999999Z");

	private MessageTable() {
	}

	/**
	 * The table as the SAM template declares it, for tests and local setups: on-demand
	 * billing and a {@code NEW_IMAGE} stream.
	 * @param tableName the table's name
	 * @return the request that creates it
	 */
	public static CreateTableRequest createTableRequest(String tableName) {
		return CreateTableRequest.builder()
			.tableName(tableName)
			.billingMode(BillingMode.PAY_PER_REQUEST)
			.attributeDefinitions(string(ROOM), string(MESSAGE_KEY), string(TIME_KEY))
			.keySchema(key(ROOM, KeyType.HASH), key(MESSAGE_KEY, KeyType.RANGE))
			.localSecondaryIndexes(LocalSecondaryIndex.builder()
				.indexName(TIME_INDEX)
				.keySchema(key(ROOM, KeyType.HASH), key(TIME_KEY, KeyType.RANGE))
				.projection(Projection.builder().projectionType(ProjectionType.ALL).build())
				.build())
			.streamSpecification(
					StreamSpecification.builder().streamEnabled(true).streamViewType(StreamViewType.NEW_IMAGE).build())
			.build();
	}

	/**
	 * Whether a sort key is a message's: the stream reader skips any other item.
	 * @param messageKey the item's {@value #MESSAGE_KEY}, if it has one
	 * @return {@code true} for a message item
	 */
	public static boolean isMessageKey(@Nullable String messageKey) {
		return messageKey != null && (messageKey.startsWith(BY_CLIENT_ID) || messageKey.startsWith(BY_ID));
	}

	/**
	 * Reads a stored message from an item's string attributes, whichever API delivered
	 * the item (the SDK, a stream record).
	 * @param attribute the string value of an attribute by name, {@code null} when absent
	 * @return the message
	 * @throws IllegalArgumentException when the item lacks a message attribute or holds
	 * an unreadable instant
	 */
	public static ChatMessage message(Function<String, @Nullable String> attribute) {
		return MessageAttributes.message(attribute);
	}

	static Map<String, AttributeValue> item(NewMessage message, String id, Instant createdAt) {
		if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
			throw new IllegalArgumentException("Messages are stored from year 0 to 9999, not at " + createdAt);
		}
		Map<String, AttributeValue> item = new LinkedHashMap<>();
		item.put(ROOM, s(message.room()));
		item.put(MESSAGE_KEY, s(messageKey(message, id)));
		item.put(TIME_KEY, s(timeKey(createdAt, id)));
		MessageAttributes.of(message, id, createdAt).forEach((name, value) -> item.put(name, s(value)));
		return item;
	}

	static String messageKey(NewMessage message, String id) {
		return (message.clientMessageId() != null) ? BY_CLIENT_ID + message.clientMessageId() : BY_ID + id;
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

	static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

	private static AttributeDefinition string(String name) {
		return AttributeDefinition.builder().attributeName(name).attributeType(ScalarAttributeType.S).build();
	}

	private static KeySchemaElement key(String name, KeyType type) {
		return KeySchemaElement.builder().attributeName(name).keyType(type).build();
	}

}
