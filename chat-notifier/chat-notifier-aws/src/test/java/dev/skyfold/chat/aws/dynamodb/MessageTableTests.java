package dev.skyfold.chat.aws.dynamodb;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.NewMessage;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeyType;
import software.amazon.awssdk.services.dynamodb.model.ProjectionType;
import software.amazon.awssdk.services.dynamodb.model.StreamViewType;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The chat table's item layout: one item per message, keyed so that a client message id
 * is unique in its room, with a time key whose text order is time order.
 */
class MessageTableTests {

	private static final Instant T0 = Instant.parse("2026-03-01T12:34:56.123456Z");

	@Test
	void keysAMessageWithAClientMessageIdByIt() {
		Map<String, AttributeValue> item = MessageTable.item(new NewMessage("general", "Ada", "Hi", "c-1"), "id-1", T0);

		assertThat(item).containsExactly(Map.entry("room", s("general")), Map.entry("messageKey", s("c#c-1")),
				Map.entry("timeKey", s("2026-03-01T12:34:56.123456000Z#id-1")), Map.entry("id", s("id-1")),
				Map.entry("author", s("Ada")), Map.entry("text", s("Hi")),
				Map.entry("createdAt", s("2026-03-01T12:34:56.123456Z")), Map.entry("clientMessageId", s("c-1")));
	}

	@Test
	void keysAMessageWithoutAClientMessageIdByItsId() {
		Map<String, AttributeValue> item = MessageTable.item(new NewMessage("general", "Ada", "Hi", null), "id-1", T0);

		assertThat(item.get("messageKey")).isEqualTo(s("m#id-1"));
		assertThat(item).doesNotContainKey("clientMessageId");
	}

	@Test
	void ordersTimeKeysAsTheInstantsTheyHold() {
		List<Instant> instants = List.of(Instant.parse("0000-01-01T00:00:00Z"), Instant.parse("1969-12-31T23:59:59Z"),
				Instant.parse("1970-01-01T00:00:00Z"), Instant.parse("1999-12-31T23:59:59.999999999Z"),
				Instant.parse("2026-03-01T12:34:56Z"), Instant.parse("2026-03-01T12:34:56.000000001Z"),
				Instant.parse("2026-03-01T12:34:56.1Z"), Instant.parse("9999-12-31T23:59:59.999999999Z"));
		List<String> keys = new ArrayList<>(
				instants.stream().map((instant) -> MessageTable.timeKey(instant, null)).toList());

		assertThat(keys).isSorted().doesNotHaveDuplicates().allSatisfy((key) -> assertThat(key).hasSize(30));
	}

	@Test
	void ordersTimeKeysAsHistoryPositionsByInstantThenId() {
		Instant earlier = T0.minusNanos(1000);
		Instant later = T0.plusNanos(1);
		List<String> keys = List.of(MessageTable.timeKey(earlier, null), MessageTable.timeKey(earlier, "zz"),
				MessageTable.timeKey(T0, null), MessageTable.timeKey(T0, "0"), MessageTable.timeKey(T0, "5c"),
				MessageTable.timeKey(T0, "5c-"), MessageTable.timeKey(T0, "5cz"), MessageTable.timeKey(T0, "5d"),
				MessageTable.timeKey(T0, "~"), MessageTable.timeKey(later, null), MessageTable.timeKey(later, "00"));

		assertThat(keys).isSorted().doesNotHaveDuplicates();
		assertThat(MessageTable.timeKey(T0, "5c")).isEqualTo("2026-03-01T12:34:56.123456000Z#5c");
		assertThat(MessageTable.item(new NewMessage("general", "Ada", "Hi", null), "5c", T0).get("timeKey"))
			.isEqualTo(s(MessageTable.timeKey(T0, "5c")));
	}

	@Test
	void refusesInstantsOutsideYearsZeroTo9999() {
		NewMessage message = new NewMessage("general", "Ada", "Hi", null);
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MessageTable.item(message, "id", Instant.parse("+10000-01-01T00:00:00Z")));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> MessageTable.item(message, "id", Instant.parse("-0001-12-31T23:59:59Z")));
	}

	@Test
	void readsAMessageBackFromItsAttributes() {
		Map<String, AttributeValue> item = MessageTable.item(new NewMessage("general", "Ada", "Hi", "c-1"), "id-1", T0);

		assertThat(MessageTable.message((name) -> (item.containsKey(name)) ? item.get(name).s() : null))
			.isEqualTo(new ChatMessage("id-1", "general", "Ada", "Hi", T0));
	}

	@Test
	void refusesAnItemWithoutAMessageAttributeOrWithABadInstant() {
		Map<String, String> item = Map.of("id", "id-1", "room", "general", "author", "Ada", "createdAt", T0.toString());
		assertThatIllegalArgumentException().isThrownBy(() -> MessageTable.message(item::get))
			.withMessageContaining("text");
		Map<String, String> badInstant = Map.of("id", "id-1", "room", "general", "author", "Ada", "text", "Hi",
				"createdAt", "yesterday");
		assertThatIllegalArgumentException().isThrownBy(() -> MessageTable.message(badInstant::get))
			.withMessageContaining("yesterday");
	}

	@Test
	void tellsMessageItemsFromOthers() {
		assertThat(MessageTable.isMessageKey("c#c-1")).isTrue();
		assertThat(MessageTable.isMessageKey("m#id-1")).isTrue();
		assertThat(MessageTable.isMessageKey("settings")).isFalse();
		assertThat(MessageTable.isMessageKey(null)).isFalse();
	}

	@Test
	void describesTheTableWithItsTimeIndexAndANewImageStream() {
		CreateTableRequest table = MessageTable.createTableRequest("chat");

		assertThat(table.keySchema()).extracting((key) -> key.attributeName() + ":" + key.keyType())
			.containsExactly("room:" + KeyType.HASH, "messageKey:" + KeyType.RANGE);
		assertThat(table.localSecondaryIndexes()).singleElement().satisfies((index) -> {
			assertThat(index.indexName()).isEqualTo("byTime");
			assertThat(index.keySchema()).extracting((key) -> key.attributeName() + ":" + key.keyType())
				.containsExactly("room:" + KeyType.HASH, "timeKey:" + KeyType.RANGE);
			assertThat(index.projection().projectionType()).isEqualTo(ProjectionType.ALL);
		});
		assertThat(table.streamSpecification().streamViewType()).isEqualTo(StreamViewType.NEW_IMAGE);
	}

	private static AttributeValue s(String value) {
		return AttributeValue.fromS(value);
	}

}
