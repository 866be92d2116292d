package dev.skyfold.chat.aws.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.ConditionalCheckFailedException;
import software.amazon.awssdk.services.dynamodb.model.QueryRequest;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;
import software.amazon.awssdk.services.dynamodb.model.ReturnValuesOnConditionCheckFailure;

/**
 * Stores messages in a DynamoDB table laid out as {@link MessageTable} describes, one
 * item per message. A message posted with a client message id is keyed by it, and written
 * with a put that succeeds only when no item has that key: of concurrent posts one
 * stores, the others read what it stored. History is a strongly consistent query of the
 * room's time index, newest first, from the page's position, paged through until the
 * limit.
 */
public final class DynamoDbMessageStore implements MessageStore {

	private final DynamoDbClient dynamo;

	private final String table;

	/**
	 * Creates a store.
	 * @param dynamo the client to call DynamoDB with
	 * @param table the table's name
	 */
	public DynamoDbMessageStore(DynamoDbClient dynamo, String table) {
		if (table.isBlank()) {
			throw new IllegalArgumentException("The DynamoDB table name must not be blank");
		}
		this.dynamo = dynamo;
		this.table = table;
	}

	/**
	 * The table the messages are stored in.
	 * @return the table's name
	 */
	public String table() {
		return this.table;
	}

	@Override
	public Saved save(NewMessage message, String id, Instant createdAt) {
		Map<String, AttributeValue> item = MessageTable.item(message, id, createdAt);
		try {
			this.dynamo.putItem((put) -> put.tableName(this.table)
				.item(item)
				.conditionExpression("attribute_not_exists(#key)")
				.expressionAttributeNames(Map.of("#key", MessageTable.MESSAGE_KEY))
				.returnValuesOnConditionCheckFailure(ReturnValuesOnConditionCheckFailure.ALL_OLD));
			return new Saved(new ChatMessage(id, message.room(), message.author(), message.text(), createdAt), true);
		}
		catch (ConditionalCheckFailedException ex) {
			if (message.clientMessageId() == null) {
				throw new IllegalStateException("Room " + message.room() + " holds a message with id " + id
						+ " already; message ids must be unique", ex);
			}
			// The first post with this client message id: from the failure when DynamoDB
			// returned it, else read back.
			Map<String, AttributeValue> stored = ex.hasItem() ? ex.item()
					: read(message.room(), MessageTable.messageKey(message, id));
			if (stored == null) {
				throw new IllegalStateException("The message with client message id " + message.clientMessageId()
						+ " in room " + message.room() + " was deleted while being posted again", ex);
			}
			return new Saved(message(stored), false);
		}
	}

	@Override
	public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
		if (limit < 1 || (before != null && precedesEveryMessage(before))) {
			return List.of();
		}
		String condition = "#room = :room";
		Map<String, String> names = new HashMap<>(Map.of("#room", MessageTable.ROOM));
		Map<String, AttributeValue> values = new HashMap<>(Map.of(":room", MessageTable.s(room)));
		// Any message is stored before an instant past year 9999.
		if (before != null && !before.createdAt().isAfter(MessageTable.LATEST)) {
			// A time key is <createdAt>#<id> with a fixed-width instant: the keys below
			// <createdAt>#<id> of the position are exactly the messages before it in
			// history order, and those below <createdAt> the messages stored earlier.
			condition += " AND #time < :before";
			names.put("#time", MessageTable.TIME_KEY);
			values.put(":before", MessageTable.s(MessageTable.timeKey(before.createdAt(), before.id())));
		}
		List<ChatMessage> newestFirst = new ArrayList<>();
		@Nullable Map<String, AttributeValue> start = null;
		// A page holds at most 1 MB: long messages take several.
		do {
			QueryRequest.Builder query = QueryRequest.builder()
				.tableName(this.table)
				.indexName(MessageTable.TIME_INDEX)
				.consistentRead(true)
				.keyConditionExpression(condition)
				.expressionAttributeNames(names)
				.expressionAttributeValues(values)
				.scanIndexForward(false)
				.limit(limit - newestFirst.size());
			if (start != null) {
				query.exclusiveStartKey(start);
			}
			QueryResponse page = this.dynamo.query(query.build());
			for (Map<String, AttributeValue> item : page.items()) {
				newestFirst.add(message(item));
			}
			start = page.hasLastEvaluatedKey() && !page.lastEvaluatedKey().isEmpty() ? page.lastEvaluatedKey() : null;
		}
		while (start != null && newestFirst.size() < limit);
		Collections.reverse(newestFirst);
		return newestFirst;
	}

	/** Whether no message comes before a position: none is stored before year 0. */
	private static boolean precedesEveryMessage(HistoryPosition position) {
		return (position.id() != null) ? position.createdAt().isBefore(MessageTable.EARLIEST)
				: !position.createdAt().isAfter(MessageTable.EARLIEST);
	}

	private @Nullable Map<String, AttributeValue> read(String room, String messageKey) {
		Map<String, AttributeValue> item = this.dynamo
			.getItem((get) -> get.tableName(this.table)
				.key(Map.of(MessageTable.ROOM, MessageTable.s(room), MessageTable.MESSAGE_KEY,
						MessageTable.s(messageKey)))
				.consistentRead(true))
			.item();
		return (item != null && !item.isEmpty()) ? item : null;
	}

	private static ChatMessage message(Map<String, AttributeValue> item) {
		return MessageTable.message((name) -> {
			AttributeValue value = item.get(name);
			return (value != null) ? value.s() : null;
		});
	}

}
