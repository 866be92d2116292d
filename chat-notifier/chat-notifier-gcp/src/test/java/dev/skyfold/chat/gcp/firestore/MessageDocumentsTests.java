package dev.skyfold.chat.gcp.firestore;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class MessageDocumentsTests {

	private static final Instant T0 = Instant.parse("2026-03-01T12:34:56.123456Z");

	@Test
	void keysAMessageByItsClientMessageIdWhenItHasOne() {
		assertThat(MessageDocuments.documentId(new NewMessage("general", "Ada", "Hi", "c-1"), "id-1"))
			.isEqualTo("c_c-1");
		assertThat(MessageDocuments.documentId(new NewMessage("general", "Ada", "Hi", null), "id-1"))
			.isEqualTo("m_id-1");
	}

	@Test
	void encodesSlashesAndPercentSignsOneToOne() {
		assertThat(MessageDocuments.documentId(new NewMessage("general", "Ada", "Hi", "a/b"), "id-1"))
			.isEqualTo("c_a%2Fb");
		assertThat(MessageDocuments.documentId(new NewMessage("general", "Ada", "Hi", "a%2Fb"), "id-1"))
			.isEqualTo("c_a%252Fb");
		assertThat(MessageDocuments.documentId(new NewMessage("general", "Ada", "Hi", null), "../__x__"))
			.isEqualTo("m_..%2F__x__");
	}

	@Test
	void ordersTimeKeysByInstantThenIdFromYearZeroToYear9999() {
		assertThat(MessageDocuments.timeKey(HistoryPosition.EARLIEST, "a"))
			.isEqualTo("0000-01-01T00:00:00.000000000Z#a");
		assertThat(MessageDocuments.timeKey(HistoryPosition.LATEST, null)).isEqualTo("9999-12-31T23:59:59.999999000Z");
		assertThat(List.of(MessageDocuments.timeKey(Instant.parse("0999-12-31T23:59:59Z"), "z"),
				MessageDocuments.timeKey(Instant.parse("1000-01-01T00:00:00Z"), "a"),
				MessageDocuments.timeKey(T0, null), MessageDocuments.timeKey(T0, "0"),
				MessageDocuments.timeKey(T0, "5a"), MessageDocuments.timeKey(T0, "5b"),
				MessageDocuments.timeKey(T0.plusNanos(1000), null), MessageDocuments.timeKey(T0.plusNanos(1000), "0")))
			.isSorted();
	}

	@Test
	void writesTheFieldsThatItReadsBack() {
		NewMessage message = new NewMessage("general", "Ada", "Hi", "c-1");
		Map<String, Object> fields = MessageDocuments.fields(message, "id-1", T0);

		assertThat(fields).containsExactly(Map.entry("id", "id-1"), Map.entry("author", "Ada"), Map.entry("text", "Hi"),
				Map.entry("createdAt", "2026-03-01T12:34:56.123456Z"), Map.entry("clientMessageId", "c-1"),
				Map.entry("room", "general"), Map.entry("timeKey", "2026-03-01T12:34:56.123456000Z#id-1"));
		assertThat(MessageDocuments.message((name) -> (String) fields.get(name)))
			.isEqualTo(new ChatMessage("id-1", "general", "Ada", "Hi", T0));
	}

	@Test
	void refusesToReadADocumentWithoutAMessageField() {
		Map<String, Object> fields = MessageDocuments.fields(new NewMessage("general", "Ada", "Hi", null), "id-1", T0);
		fields.remove("text");

		assertThatIllegalArgumentException()
			.isThrownBy(() -> MessageDocuments.message((name) -> (String) fields.get(name)))
			.withMessage("The stored message has no string attribute 'text'");
	}

	@Test
	void namesTheTriggerPathOfTheMessageDocuments() {
		assertThat(MessageDocuments.pathPattern("chat-rooms")).isEqualTo("chat-rooms/{room}/messages/{message}");
	}

}
