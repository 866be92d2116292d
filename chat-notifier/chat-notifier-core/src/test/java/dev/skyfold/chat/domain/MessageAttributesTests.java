package dev.skyfold.chat.domain;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link MessageAttributes}: the one layout of a message in key-value stores.
 */
class MessageAttributesTests {

	private static final Instant T0 = Instant.parse("2026-03-01T12:34:56.123456Z");

	@Test
	void writesTheMessageButItsRoomInTheStoredOrderAndReadsItBack() {
		Map<String, String> attributes = MessageAttributes.of(new NewMessage("general", "Ada", "Hi", "c-1"), "id-1",
				T0);
		assertThat(attributes).containsExactly(Map.entry("id", "id-1"), Map.entry("author", "Ada"),
				Map.entry("text", "Hi"), Map.entry("createdAt", "2026-03-01T12:34:56.123456Z"),
				Map.entry("clientMessageId", "c-1"));
		assertThat(List.copyOf(attributes.keySet())).isEqualTo(MessageAttributes.STORED);
		Map<String, String> stored = new HashMap<>(attributes);
		stored.put(MessageAttributes.ROOM, "general");
		assertThat(MessageAttributes.message(stored::get))
			.isEqualTo(new ChatMessage("id-1", "general", "Ada", "Hi", T0));
	}

	@Test
	void leavesOutTheClientMessageIdOfAMessagePostedWithout() {
		assertThat(MessageAttributes.of(new NewMessage("general", "Ada", "Hi", null), "id-1", T0))
			.doesNotContainKey(MessageAttributes.CLIENT_MESSAGE_ID)
			.hasSize(4);
	}

	@Test
	void refusesAMessageWithoutAnAttributeOrWithAnUnreadableInstant() {
		Map<String, String> stored = new HashMap<>(
				MessageAttributes.of(new NewMessage("general", "Ada", "Hi", null), "id-1", T0));
		assertThatIllegalArgumentException().isThrownBy(() -> MessageAttributes.message(stored::get))
			.withMessage("The stored message has no string attribute 'room'");
		stored.put(MessageAttributes.ROOM, "general");
		stored.put(MessageAttributes.CREATED_AT, "yesterday");
		assertThatIllegalArgumentException().isThrownBy(() -> MessageAttributes.message(stored::get))
			.withMessageContaining("'yesterday'");
	}

}
