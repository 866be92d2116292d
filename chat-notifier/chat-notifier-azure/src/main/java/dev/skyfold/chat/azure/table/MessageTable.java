package dev.skyfold.chat.azure.table;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;

import com.azure.data.tables.models.TableEntity;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.MessageAttributes;
import dev.skyfold.chat.domain.NewMessage;
import org.jspecify.annotations.Nullable;

/**
 * The chat table's layout in Azure Table storage, shared by the store and whoever creates
 * or inspects the table (Bicep, the tests). A room is a partition ({@code PartitionKey} =
 * the room) holding two kinds of entity:
 * <ul>
 * <li>a message: {@code RowKey} {@code m_<inverted time>_<id>}, where the inverted time
 * is {@link #LATEST} minus the message's instant, in microseconds, as 18 zero-padded
 * digits, so that the table's ascending key order lists a room newest first; properties:
 * the message's {@link MessageAttributes} but the room;</li>
 * <li>a client message id claim, for a message posted with one: {@code RowKey}
 * {@code c_<clientMessageId, UTF-8, base64url>} (characters such as {@code /}, {@code #}
 * or {@code ?} are not allowed in a key, so the id is encoded), the message's properties
 * and {@value #MESSAGE_ROW_KEY}, the message's {@code RowKey}. The claim is inserted
 * first, and that fails when it exists: a client message id is stored once per room. A
 * poster that finds a claim without its message (its first poster failed in between)
 * inserts the message from the claim, and the store reports the message new to it.</li>
 * </ul>
 */
public final class MessageTable {

	/** The claim's pointer to its message. */
	public static final String MESSAGE_ROW_KEY = "messageRowKey";

	/** The {@code RowKey} prefix of messages. */
	public static final String MESSAGE_PREFIX = "m_";

	/** The {@code RowKey} prefix of client message id claims. */
	public static final String CLAIM_PREFIX = "c_";

	/** The earliest instant a message can be stored at. */
	static final Instant EARLIEST = HistoryPosition.EARLIEST;

	/** The latest instant a message can be stored at. */
	static final Instant LATEST = HistoryPosition.LATEST;

	private static final long LATEST_MICROS = micros(LATEST);

	private static final int TIME_DIGITS = 18;

	private MessageTable() {
	}

	/**
	 * The {@code RowKey} of a message.
	 * @param id the message's id
	 * @param createdAt when it was stored
	 * @return the key
	 */
	public static String messageRowKey(String id, Instant createdAt) {
		return timePrefix(createdAt) + "_" + id;
	}

	/**
	 * The {@code RowKey} of the claim on a client message id.
	 * @param clientMessageId the client's id
	 * @return the key
	 */
	public static String claimRowKey(String clientMessageId) {
		return CLAIM_PREFIX + Base64.getUrlEncoder()
			.withoutPadding()
			.encodeToString(clientMessageId.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * The start of the {@code RowKey}s of messages stored at an instant, to the
	 * microsecond: messages stored later sort before it, earlier ones after it.
	 * @param instant the instant, from {@link #EARLIEST} to {@link #LATEST}
	 * @return the prefix
	 */
	static String timePrefix(Instant instant) {
		String inverted = Long.toString(LATEST_MICROS - micros(instant));
		return MESSAGE_PREFIX + "0".repeat(TIME_DIGITS - inverted.length()) + inverted;
	}

	/**
	 * The message entity.
	 * @param room the room
	 * @param message the message
	 * @param id its id
	 * @param createdAt when it is stored
	 * @return the entity
	 * @throws IllegalArgumentException when the instant is out of range or has a finer
	 * precision than microseconds
	 */
	static TableEntity messageEntity(NewMessage message, String id, Instant createdAt) {
		if (createdAt.isBefore(EARLIEST) || createdAt.isAfter(LATEST)) {
			throw new IllegalArgumentException("Messages are stored from year 0 to 9999, not at " + createdAt);
		}
		if (!createdAt.truncatedTo(ChronoUnit.MICROS).equals(createdAt)) {
			throw new IllegalArgumentException("Messages are stored to the microsecond, not at " + createdAt);
		}
		if (id.isEmpty() || id.chars().anyMatch(MessageTable::isForbiddenInKey)) {
			throw new IllegalArgumentException(
					"A message id must be non-empty, without '/', '\\', '#', '?' or control characters: '" + id + "'");
		}
		TableEntity entity = new TableEntity(message.room(), messageRowKey(id, createdAt));
		MessageAttributes.of(message, id, createdAt).forEach(entity::addProperty);
		return entity;
	}

	/**
	 * The claim on a message's client message id: a copy of the message entity, keyed by
	 * the client message id, that names the message's key.
	 * @param messageEntity the message entity, with a client message id
	 * @return the claim
	 */
	static TableEntity claimEntity(TableEntity messageEntity) {
		Object clientMessageId = messageEntity.getProperty(MessageAttributes.CLIENT_MESSAGE_ID);
		if (!(clientMessageId instanceof String id)) {
			throw new IllegalArgumentException("The message has no client message id");
		}
		TableEntity claim = new TableEntity(messageEntity.getPartitionKey(), claimRowKey(id));
		copy(messageEntity, claim);
		return claim.addProperty(MESSAGE_ROW_KEY, messageEntity.getRowKey());
	}

	/**
	 * The message entity a claim holds.
	 * @param claim the claim
	 * @return the message entity
	 */
	static TableEntity messageEntityOf(TableEntity claim) {
		TableEntity message = new TableEntity(claim.getPartitionKey(), required(claim, MESSAGE_ROW_KEY));
		copy(claim, message);
		return message;
	}

	private static void copy(TableEntity from, TableEntity to) {
		for (String name : MessageAttributes.STORED) {
			Object value = from.getProperty(name);
			if (value != null) {
				to.addProperty(name, value);
			}
		}
	}

	/**
	 * Reads a stored message from its entity.
	 * @param entity the message entity
	 * @return the message
	 * @throws IllegalArgumentException when the entity lacks a message property or holds
	 * an unreadable instant
	 */
	public static ChatMessage message(TableEntity entity) {
		return MessageAttributes.message((name) -> MessageAttributes.ROOM.equals(name) ? entity.getPartitionKey()
				: (entity.getProperty(name) instanceof String value) ? value : null);
	}

	/**
	 * Whether a {@code RowKey} is a message's, rather than a claim's.
	 * @param rowKey the key
	 * @return {@code true} for a message
	 */
	public static boolean isMessageRowKey(@Nullable String rowKey) {
		return rowKey != null && rowKey.startsWith(MESSAGE_PREFIX);
	}

	static String required(TableEntity entity, String name) {
		Object value = entity.getProperty(name);
		if (!(value instanceof String string)) {
			throw new IllegalArgumentException("The entity " + entity.getPartitionKey() + "/" + entity.getRowKey()
					+ " has no string property '" + name + "'");
		}
		return string;
	}

	private static boolean isForbiddenInKey(int c) {
		return c == '/' || c == '\\' || c == '#' || c == '?' || c <= 0x1f || (c >= 0x7f && c <= 0x9f);
	}

	private static long micros(Instant instant) {
		return Math.addExact(Math.multiplyExact(instant.getEpochSecond(), 1_000_000L), instant.getNano() / 1000);
	}

}
