package dev.skyfold.chat.application;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Stream;

import dev.skyfold.chat.adapter.inmemory.InMemoryMessageStore;
import dev.skyfold.chat.application.BroadcastService.Backoff;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.dao.DataAccessResourceFailureException;

import static dev.skyfold.chat.application.RecordingBroadcaster.permanentFailure;
import static dev.skyfold.chat.application.RecordingBroadcaster.transientFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Posting, as {@code postMessage} does: check, store, then broadcast; a repeated post is
 * answered from the store; a failed broadcast never loses the message.
 */
class ChatServicePostTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:34:56.123456789Z");

	private static final Backoff TINY = new Backoff(2, Duration.ofMillis(1), 2.0, Duration.ofMillis(2));

	private final List<String> events = new CopyOnWriteArrayList<>();

	private final RecordingStore store = new RecordingStore(this.events);

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final RecordingBroadcaster broadcaster = new RecordingBroadcaster("recording")
		.onAttempt((message) -> this.events.add("broadcast " + message.id()));

	private ChatService chat(RecordingBroadcaster... broadcasters) {
		return new ChatService(this.store, new BroadcastService(List.of(broadcasters), TINY, this.meters), 50,
				Clock.fixed(NOW, ZoneOffset.UTC));
	}

	@Test
	void returnsTheStoredMessage() {
		ChatMessage message = chat(this.broadcaster)
			.post(new PostMessage("general", "  Ada ", "Hello,\r\nroom!\n", "c-1"));
		assertThat(UUID.fromString(message.id())).isNotNull();
		assertThat(message.room()).isEqualTo("general");
		assertThat(message.author()).isEqualTo("Ada");
		assertThat(message.text()).isEqualTo("Hello,\nroom!");
		assertThat(message.createdAt()).isEqualTo(Instant.parse("2026-03-01T12:34:56.123456Z"));
		assertThat(this.store.latest("general", null, 10)).containsExactly(message);
	}

	@Test
	void storesFirstThenBroadcasts() {
		this.broadcaster.onAttempt((message) -> {
			this.events.add("broadcast " + message.id());
			assertThat(this.store.latest(message.room(), null, 10)).as("stored before the broadcast")
				.containsExactly(message);
		});
		ChatMessage message = chat(this.broadcaster).post(new PostMessage("general", "Ada", "Hello"));
		assertThat(this.events).containsExactly("store " + message.id(), "broadcast " + message.id());
		assertThat(this.broadcaster.delivered()).containsExactly(message);
	}

	@Test
	void givesEachMessageItsOwnId() {
		ChatService chat = chat(this.broadcaster);
		ChatMessage first = chat.post(new PostMessage("general", "Ada", "one"));
		ChatMessage second = chat.post(new PostMessage("general", "Ada", "two"));
		assertThat(first.id()).isNotEqualTo(second.id());
		assertThat(this.broadcaster.delivered()).containsExactly(first, second);
	}

	static Stream<Arguments> invalidPosts() {
		return Stream.of(Arguments.of(new PostMessage("General", "Ada", "hi"), Rejection.INVALID),
				Arguments.of(new PostMessage(null, "Ada", "hi"), Rejection.INVALID),
				Arguments.of(new PostMessage("general", "", "hi"), Rejection.INVALID),
				Arguments.of(new PostMessage("general", "a".repeat(65), "hi"), Rejection.INVALID),
				Arguments.of(new PostMessage("general", "Ada", "   "), Rejection.INVALID),
				Arguments.of(new PostMessage("general", "Ada", "bell\u0007"), Rejection.INVALID),
				Arguments.of(new PostMessage("general", "Ada", "hi", "x".repeat(129)), Rejection.INVALID),
				Arguments.of(new PostMessage("general", "Ada", "a".repeat(4001)), Rejection.TOO_LARGE));
	}

	@ParameterizedTest
	@MethodSource("invalidPosts")
	void rejectsInvalidInputAndStoresAndSendsNothing(PostMessage post, Rejection rejection) {
		ChatService chat = chat(this.broadcaster);
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> chat.post(post))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(rejection));
		assertThat(this.events).isEmpty();
		assertThat(this.broadcaster.attempts()).isZero();
		assertThat(this.store.latest("general", null, 10)).isEmpty();
	}

	@Test
	void answersARepeatedPostWithTheFirstMessageAndNeitherStoresNorBroadcastsAgain() {
		ChatService chat = chat(this.broadcaster);
		ChatMessage first = chat.post(new PostMessage("general", "Ada", "Hello", "c-1"));
		this.events.clear();
		ChatMessage again = chat.post(new PostMessage("general", "Ada", "Hello (edited)", "c-1"));
		assertThat(again).isEqualTo(first);
		assertThat(this.events).containsExactly("duplicate " + first.id());
		assertThat(this.store.created).isEqualTo(1);
		assertThat(this.broadcaster.delivered()).containsExactly(first);
		assertThat(this.store.latest("general", null, 10)).containsExactly(first);
	}

	@Test
	void storesAndBroadcastsTheSameClientMessageIdInAnotherRoom() {
		ChatService chat = chat(this.broadcaster);
		ChatMessage general = chat.post(new PostMessage("general", "Ada", "Hello", "c-1"));
		ChatMessage random = chat.post(new PostMessage("random", "Ada", "Hello", "c-1"));
		assertThat(random.id()).isNotEqualTo(general.id());
		assertThat(random.room()).isEqualTo("random");
		assertThat(this.broadcaster.delivered()).containsExactly(general, random);
	}

	@Test
	void keepsAndReturnsTheMessageWhenABroadcasterFailsPermanently() {
		RecordingBroadcaster rejecting = new RecordingBroadcaster("rejecting").failingAlways(permanentFailure());
		ChatMessage message = chat(rejecting, this.broadcaster).post(new PostMessage("general", "Ada", "Hello"));
		assertThat(message.text()).isEqualTo("Hello");
		assertThat(this.store.latest("general", null, 10)).containsExactly(message);
		assertThat(rejecting.attempts()).isEqualTo(1);
		assertThat(this.broadcaster.delivered()).containsExactly(message);
		assertThat(this.meters.get(BroadcastService.FAILURES).tag("broadcaster", "rejecting").counter().count())
			.isEqualTo(1.0);
	}

	@Test
	void keepsAndReturnsTheMessageWhenABroadcasterStaysDown() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		ChatMessage message = chat(down).post(new PostMessage("general", "Ada", "Hello"));
		assertThat(this.store.latest("general", null, 10)).containsExactly(message);
		assertThat(down.attempts()).isEqualTo(1 + TINY.maxRetries());
	}

	@Test
	void keepsAndReturnsTheMessageWhenABroadcasterHasABug() {
		RecordingBroadcaster broken = new RecordingBroadcaster("broken").failingAlways(new NullPointerException("bug"));
		ChatMessage message = chat(broken).post(new PostMessage("general", "Ada", "Hello"));
		assertThat(this.store.latest("general", null, 10)).containsExactly(message);
	}

	@Test
	void broadcastsNothingWhenTheStoreFails() {
		this.store.failure = new DataAccessResourceFailureException("database down");
		ChatService chat = chat(this.broadcaster);
		assertThatExceptionOfType(DataAccessResourceFailureException.class)
			.isThrownBy(() -> chat.post(new PostMessage("general", "Ada", "Hello")));
		assertThat(this.broadcaster.attempts()).isZero();
	}

	/**
	 * The in-memory store, recording each save and whether it stored a message.
	 */
	static final class RecordingStore implements MessageStore {

		private final InMemoryMessageStore delegate = new InMemoryMessageStore();

		private final List<String> events;

		volatile int created;

		volatile @Nullable RuntimeException failure;

		RecordingStore(List<String> events) {
			this.events = events;
		}

		@Override
		public Saved save(NewMessage message, String id, Instant createdAt) {
			RuntimeException failure = this.failure;
			if (failure != null) {
				throw failure;
			}
			Saved saved = this.delegate.save(message, id, createdAt);
			this.events.add((saved.created() ? "store " : "duplicate ") + saved.message().id());
			if (saved.created()) {
				this.created++;
			}
			return saved;
		}

		@Override
		public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
			return this.delegate.latest(room, before, limit);
		}

	}

}
