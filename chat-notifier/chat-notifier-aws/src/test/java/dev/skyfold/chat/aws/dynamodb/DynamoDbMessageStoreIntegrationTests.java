package dev.skyfold.chat.aws.dynamodb;

import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStoreContract;
import dev.skyfold.testsupport.loopback.DynaliteServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.QueryResponse;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The DynamoDB store keeps the {@link MessageStore} contract against dynalite, a server
 * speaking DynamoDB's API, in a table created the way the SAM template creates it
 * ({@link MessageTable#createTableRequest}); and it lays out its items as the stream
 * reader expects them.
 */
class DynamoDbMessageStoreIntegrationTests extends MessageStoreContract {

	@RegisterExtension
	static final DynaliteServer dynalite = new DynaliteServer();

	private static final AtomicInteger tables = new AtomicInteger();

	private static @Nullable DynamoDbClient client;

	private @Nullable String table;

	@BeforeAll
	static void connect() {
		client = DynaliteTables.client(dynalite.endpoint());
	}

	@AfterAll
	static void disconnect() {
		if (client != null) {
			client.close();
		}
	}

	@Override
	protected MessageStore createEmptyStore() throws InterruptedException {
		String name = "chat-" + tables.incrementAndGet();
		DynaliteTables.create(dynamo(), name);
		this.table = name;
		return new DynamoDbMessageStore(dynamo(), name);
	}

	private static DynamoDbClient dynamo() {
		assertThat(client).as("client").isNotNull();
		return client;
	}

	private String table() {
		assertThat(this.table).as("table").isNotNull();
		return this.table;
	}

	@Test
	void storesOneItemPerMessageAsTheStreamReaderReadsIt() {
		ChatMessage withClientId = store().save(new NewMessage("general", "Ada", "Hi", "c-1"), "id-1", T0).message();
		ChatMessage withoutClientId = store()
			.save(new NewMessage("general", "Ada", "Again", null), "id-2", T0.plusSeconds(1))
			.message();

		List<Map<String, AttributeValue>> items = dynamo().scan((scan) -> scan.tableName(table())).items();

		assertThat(items).hasSize(2);
		Map<String, AttributeValue> first = item(items, "c#c-1");
		assertThat(first).containsOnlyKeys("room", "messageKey", "timeKey", "id", "author", "text", "createdAt",
				"clientMessageId");
		assertThat(first.get("timeKey").s()).isEqualTo("2026-03-01T12:34:56.123456000Z#id-1");
		assertThat(MessageTable.isMessageKey(first.get("messageKey").s())).isTrue();
		assertThat(MessageTable.message((name) -> (first.containsKey(name)) ? first.get(name).s() : null))
			.isEqualTo(withClientId);
		Map<String, AttributeValue> second = item(items, "m#id-2");
		assertThat(second).doesNotContainKey("clientMessageId");
		assertThat(MessageTable.message((name) -> (second.containsKey(name)) ? second.get(name).s() : null))
			.isEqualTo(withoutClientId);
	}

	@Test
	void readsAHistoryLargerThanOneQueryPage() {
		// 200 messages of 16 KB each (8 K UTF-16 units, which dynalite counts): more
		// than a query's 1 MB page.
		String text = ROCKET.repeat(NewMessage.MAX_TEXT);
		for (int i = 0; i < 200; i++) {
			store().save(new NewMessage("general", "Ada", text, null), String.format("id-%03d", i), T0.plusMillis(i));
		}
		QueryResponse onePage = dynamo().query((query) -> query.tableName(table())
			.indexName(MessageTable.TIME_INDEX)
			.keyConditionExpression("room = :room")
			.expressionAttributeValues(Map.of(":room", AttributeValue.fromS("general"))));
		assertThat(onePage.count()).as("messages in one page").isLessThan(200);

		List<ChatMessage> latest = store().latest("general", null, 200);

		assertThat(latest).hasSize(200).extracting(ChatMessage::id).first().isEqualTo("id-000");
		assertThat(latest).extracting(ChatMessage::id).last().isEqualTo("id-199");
		assertThat(latest).allSatisfy((message) -> assertThat(message.text()).isEqualTo(text));
		assertThat(store().latest("general", HistoryPosition.before(T0.plusMillis(199)), 198))
			.extracting(ChatMessage::id)
			.first()
			.isEqualTo("id-001");
	}

	@Test
	void answersNothingForALimitBelowOne() {
		save("general", "hello", T0);

		assertThat(store().latest("general", null, 0)).isEmpty();
	}

	private static Map<String, AttributeValue> item(List<Map<String, AttributeValue>> items, String messageKey) {
		return items.stream()
			.filter((item) -> messageKey.equals(item.get("messageKey").s()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No item " + messageKey + " in " + items));
	}

}
