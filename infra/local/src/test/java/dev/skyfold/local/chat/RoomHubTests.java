package dev.skyfold.local.chat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.local.chat.RoomHub.Subscription;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local hub: each room's listeners get that room's messages, and nothing a listener
 * or a concurrent subscriber does stops the others.
 */
class RoomHubTests {

	private final RoomHub hub = new RoomHub();

	private static ChatMessage message(String id, String room) {
		return new ChatMessage(id, room, "Ada", "text of " + id, Instant.parse("2026-03-01T12:00:00Z"));
	}

	@Test
	void deliversEachMessageToTheListenersOfItsRoomOnly() {
		List<ChatMessage> general1 = new CopyOnWriteArrayList<>();
		List<ChatMessage> general2 = new CopyOnWriteArrayList<>();
		List<ChatMessage> random = new CopyOnWriteArrayList<>();
		this.hub.subscribe("general", general1::add);
		this.hub.subscribe("general", general2::add);
		this.hub.subscribe("random", random::add);
		this.hub.deliver(message("m-1", "general"));
		this.hub.deliver(message("m-2", "random"));
		this.hub.deliver(message("m-3", "nobody-here"));
		assertThat(general1).containsExactly(message("m-1", "general"));
		assertThat(general2).containsExactly(message("m-1", "general"));
		assertThat(random).containsExactly(message("m-2", "random"));
		assertThat(this.hub.listenerCount("general")).isEqualTo(2);
		assertThat(this.hub.listenerCount("nobody-here")).isZero();
	}

	@Test
	void stopsDeliveringOnceTheSubscriptionIsClosed() {
		List<ChatMessage> closed = new CopyOnWriteArrayList<>();
		List<ChatMessage> open = new CopyOnWriteArrayList<>();
		Subscription subscription = this.hub.subscribe("general", closed::add);
		this.hub.subscribe("general", open::add);
		this.hub.deliver(message("m-1", "general"));
		subscription.close();
		this.hub.deliver(message("m-2", "general"));
		assertThat(closed).extracting(ChatMessage::id).containsExactly("m-1");
		assertThat(open).extracting(ChatMessage::id).containsExactly("m-1", "m-2");
		assertThat(this.hub.listenerCount("general")).isEqualTo(1);
	}

	@Test
	void closingASubscriptionTwiceIsHarmless() {
		List<ChatMessage> other = new CopyOnWriteArrayList<>();
		Subscription subscription = this.hub.subscribe("general", (message) -> {
		});
		this.hub.subscribe("general", other::add);
		subscription.close();
		subscription.close();
		assertThat(this.hub.listenerCount("general")).isEqualTo(1);
		this.hub.deliver(message("m-1", "general"));
		assertThat(other).hasSize(1);
	}

	@Test
	void forgetsARoomWhenItsLastListenerLeaves() {
		Subscription subscription = this.hub.subscribe("general", (message) -> {
		});
		subscription.close();
		assertThat(this.hub.listenerCount("general")).isZero();
		List<ChatMessage> late = new CopyOnWriteArrayList<>();
		this.hub.subscribe("general", late::add);
		this.hub.deliver(message("m-1", "general"));
		assertThat(late).hasSize(1);
	}

	@Test
	void keepsDeliveringToTheOthersWhenAListenerThrows() {
		List<ChatMessage> before = new CopyOnWriteArrayList<>();
		List<ChatMessage> after = new CopyOnWriteArrayList<>();
		// Set order is unspecified: listeners on both sides of the throwing one.
		this.hub.subscribe("general", before::add);
		this.hub.subscribe("general", (message) -> {
			throw new IllegalStateException("browser went away");
		});
		this.hub.subscribe("general", after::add);
		this.hub.deliver(message("m-1", "general"));
		this.hub.deliver(message("m-2", "general"));
		assertThat(before).extracting(ChatMessage::id).containsExactly("m-1", "m-2");
		assertThat(after).extracting(ChatMessage::id).containsExactly("m-1", "m-2");
	}

	@Test
	void deliversToEverySubscriberWhileOthersComeAndGoConcurrently() throws Exception {
		int threads = 4;
		int rounds = 20_000;
		ExecutorService executor = Executors.newFixedThreadPool(threads * 2);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<List<String>>> checkers = new ArrayList<>();
			List<Future<?>> churners = new ArrayList<>();
			for (int t = 0; t < threads; t++) {
				String thread = "t" + t;
				checkers.add(executor.submit(() -> {
					start.await();
					List<String> missed = new ArrayList<>();
					for (int round = 0; round < rounds; round++) {
						String id = thread + "-" + round;
						Set<String> received = ConcurrentHashMap.newKeySet();
						try (Subscription subscription = this.hub.subscribe("general",
								(message) -> received.add(message.id()))) {
							this.hub.deliver(message(id, "general"));
						}
						if (!received.contains(id)) {
							missed.add(id);
						}
					}
					return missed;
				}));
				churners.add(executor.submit(() -> {
					start.await();
					for (int round = 0; round < rounds; round++) {
						this.hub.subscribe("general", (message) -> {
						}).close();
					}
					return null;
				}));
			}
			start.countDown();
			for (Future<?> churner : churners) {
				churner.get(60, TimeUnit.SECONDS);
			}
			List<String> missed = new ArrayList<>();
			for (Future<List<String>> checker : checkers) {
				missed.addAll(checker.get(60, TimeUnit.SECONDS));
			}
			assertThat(missed).as("messages a subscribed listener missed").isEmpty();
			assertThat(this.hub.listenerCount("general")).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void tellsEveryGapListenerWhatWasMissedAndKeepsGoingWhenOneFails() {
		RoomHub hub = new RoomHub();
		List<Instant> heard = new CopyOnWriteArrayList<>();
		hub.onMissed((since) -> {
			throw new IllegalStateException("broken listener");
		});
		hub.onMissed(heard::add);
		Instant since = Instant.parse("2026-12-06T12:00:00Z");

		hub.missed(since);

		assertThat(heard).containsExactly(since);
	}

}
