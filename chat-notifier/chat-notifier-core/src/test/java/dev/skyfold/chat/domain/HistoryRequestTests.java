package dev.skyfold.chat.domain;

import java.time.Instant;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HistoryRequestTests {

	private static final Instant NOON = Instant.parse("2026-03-01T12:00:00Z");

	@Test
	void readsQueryParameters() {
		assertThat(HistoryRequest.fromQuery("general", "2026-03-01T12:00:00Z", null, "20"))
			.isEqualTo(new HistoryRequest("general", NOON, 20));
		assertThat(HistoryRequest.fromQuery("general", "2026-03-01T12:00:00Z", "m-7", "20"))
			.isEqualTo(new HistoryRequest("general", NOON, "m-7", 20));
		assertThat(HistoryRequest.fromQuery("general", "", "", null)).isEqualTo(new HistoryRequest("general"));
	}

	@Test
	void pagesBackFromTheStartOfAnInstantWithoutBeforeId() {
		assertThat(new HistoryRequest("general", NOON, null).position()).isEqualTo(HistoryPosition.before(NOON));
		assertThat(new HistoryRequest("general", NOON, "", null).position()).isEqualTo(HistoryPosition.before(NOON));
		assertThat(new HistoryRequest("general").position()).isNull();
	}

	@Test
	void pagesBackFromAMessageWithBeforeAndBeforeId() {
		assertThat(new HistoryRequest("general", NOON, "m-7", null).position())
			.isEqualTo(new HistoryPosition(NOON, "m-7"));
	}

	@Test
	void rejectsUnreadableBeforeAndLimit() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HistoryRequest.fromQuery("general", "yesterday", null, null))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("'before'");
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HistoryRequest.fromQuery("general", null, null, "ten"))
			.withMessageContaining("'limit'");
	}

	@Test
	void rejectsBeforeIdWithoutBefore() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HistoryRequest.fromQuery("general", null, "m-7", null))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("'beforeId' needs 'before'");
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> new HistoryRequest("general", null, "m-7", 10).position())
			.withMessageContaining("'beforeId' needs 'before'");
	}

	@ParameterizedTest
	@ValueSource(strings = { "m\u0000", "tab\there", "line\nbreak", "\u2028", "\uD83D" })
	void rejectsABeforeIdThatIsNotPrintable(String beforeId) {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HistoryRequest.fromQuery("general", "2026-03-01T12:00:00Z", beforeId, null))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("'beforeId'");
	}

	@Test
	void rejectsABeforeIdOver128Characters() {
		String longest = "a".repeat(HistoryPosition.MAX_ID);
		assertThat(HistoryRequest.fromQuery("general", "2026-03-01T12:00:00Z", longest, null).position())
			.isEqualTo(new HistoryPosition(NOON, longest));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HistoryRequest.fromQuery("general", "2026-03-01T12:00:00Z", longest + "a", null))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("'beforeId'")
			.withMessageContaining("128");
	}

}
