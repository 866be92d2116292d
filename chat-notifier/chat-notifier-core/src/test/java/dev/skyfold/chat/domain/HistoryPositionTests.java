package dev.skyfold.chat.domain;

import java.time.Instant;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A place in a room's history, which orders messages by {@code createdAt}, then by
 * {@code id}.
 */
class HistoryPositionTests {

	private static final Instant NOON = Instant.parse("2026-03-01T12:00:00.000001Z");

	private static ChatMessage message(String id, Instant createdAt) {
		return new ChatMessage(id, "general", "Ada", "hi", createdAt);
	}

	@Test
	void followsMessagesOfItsInstantWithALowerIdAndEveryEarlierMessage() {
		HistoryPosition position = new HistoryPosition(NOON, "m-5");
		assertThat(position.follows(message("m-4", NOON))).isTrue();
		assertThat(position.follows(message("m-5", NOON))).isFalse();
		assertThat(position.follows(message("m-6", NOON))).isFalse();
		assertThat(position.follows(message("z", NOON.minusNanos(1)))).isTrue();
		assertThat(position.follows(message("a", NOON.plusNanos(1)))).isFalse();
	}

	@Test
	void followsOnlyEarlierMessagesWithoutAnId() {
		HistoryPosition position = HistoryPosition.before(NOON);
		assertThat(position.follows(message("", NOON.minusNanos(1000)))).isTrue();
		assertThat(position.follows(message("0", NOON))).isFalse();
	}

	@Test
	void standsAtAMessage() {
		ChatMessage message = message("m-5", NOON);
		assertThat(HistoryPosition.of(message)).isEqualTo(new HistoryPosition(NOON, "m-5"));
		assertThat(HistoryPosition.of(message).follows(message)).isFalse();
	}

	@Test
	void rejectsAnEmptyId() {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> new HistoryPosition(NOON, ""))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

}
