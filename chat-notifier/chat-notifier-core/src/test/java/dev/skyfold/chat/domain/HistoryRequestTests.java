package dev.skyfold.chat.domain;

import java.time.Instant;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class HistoryRequestTests {

	@Test
	void readsQueryParameters() {
		assertThat(HistoryRequest.fromQuery("general", "2026-03-01T12:00:00Z", "20"))
			.isEqualTo(new HistoryRequest("general", Instant.parse("2026-03-01T12:00:00Z"), 20));
		assertThat(HistoryRequest.fromQuery("general", "", null)).isEqualTo(new HistoryRequest("general"));
	}

	@Test
	void rejectsUnreadableBeforeAndLimit() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HistoryRequest.fromQuery("general", "yesterday", null))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("'before'");
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HistoryRequest.fromQuery("general", null, "ten"))
			.withMessageContaining("'limit'");
	}

}
