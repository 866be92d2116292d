package dev.skyfold.local.chat;

import java.time.Instant;
import java.util.List;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.local.LocalProperties;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.availability.ApplicationAvailabilityBean;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.transaction.support.TransactionOperations;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up is best-effort: a store that fails (down, or its disk full, as
 * {@code DiskFullIntegrationTests} runs for real) stops it, never the app's start.
 */
class ChatWarmUpTests {

	@Test
	void aStoreThatFailsStopsTheWarmUpNotTheStart() {
		RoomHub hub = new RoomHub();
		JsonMapper json = JsonMapper.builder().build();
		RoomStreams streams = new RoomStreams(hub, json,
				new Binder().bindOrCreate("skyfold.local", LocalProperties.class));
		streams.start();
		try {
			ChatWarmUp warmUp = new ChatWarmUp(new FailingStore(), TransactionOperations.withoutTransaction(), () -> {
			}, hub, streams, json, null, new ApplicationAvailabilityBean(), 10, () -> null);
			ChatWarmUp.Result result = warmUp.warmUp();
			assertThat(result.posted()).isZero();
			assertThat(result.outcome()).startsWith("stopped: a sample post failed")
				.contains("No space left on device");
			assertThat(warmUp.first()).isEqualTo(result);
		}
		finally {
			streams.stop();
		}
	}

	private static final class FailingStore implements MessageStore {

		@Override
		public Saved save(NewMessage message, String id, Instant createdAt) {
			throw new DataAccessResourceFailureException("No space left on device");
		}

		@Override
		public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
			throw new DataAccessResourceFailureException("No space left on device");
		}

	}

}
