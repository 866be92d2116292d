package dev.skyfold.chat.adapter.inprocess;

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

import dev.skyfold.chat.adapter.inprocess.InProcessBroadcaster.Subscription;
import dev.skyfold.chat.domain.ChatMessage;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local hub: each room's listeners get that room's messages, and nothing a listener
 * or a concurrent subscriber does stops the others.
 */
class InProcessBroadcasterTests {

	private final InProcessBroadcaster broadcaster = new InProcessBroadcaster();

	private static ChatMessage message(String id, String room) {
		return new ChatMessage(id, room, "Ada", "text of " + id, Instant.parse("2026-03-01T12:00:00Z"));
	}

	@Test
	void deliversEachMessageToTheListenersOfItsRoomOnly() {
		List<ChatMessage> general1 = new CopyOnWriteArrayList<>();
		List<ChatMessage> general2 = new CopyOnWriteArrayList<>();
		List<ChatMessage> random = new CopyOnWriteArrayList<>();
		this.broadcaster.subscribe("general", general1::add);
		this.broadcaster.subscribe("general", general2::add);
		this.broadcaster.subscribe("random", random::add);
		this.broadcaster.broadcast(message("m-1", "general"));
		this.broadcaster.broadcast(message("m-2", "random"));
		this.broadcaster.broadcast(message("m-3", "nobody-here"));
		assertThat(general1).containsExactly(message("m-1", "general"));
		assertThat(general2).containsExactly(message("m-1", "general"));
		assertThat(random).containsExactly(message("m-2", "random"));
		assertThat(this.broadcaster.listenerCount("general")).isEqualTo(2);
		assertThat(this.broadcaster.listenerCount("nobody-here")).isZero();
	}

	@Test
	void stopsDeliveringOnceTheSubscriptionIsClosed() {
		List<ChatMessage> closed = new CopyOnWriteArrayList<>();
		List<ChatMessage> open = new CopyOnWriteArrayList<>();
		Subscription subscription = this.broadcaster.subscribe("general", closed::add);
		this.broadcaster.subscribe("general", open::add);
		this.broadcaster.broadcast(message("m-1", "general"));
		subscription.close();
		this.broadcaster.broadcast(message("m-2", "general"));
		assertThat(closed).extracting(ChatMessage::id).containsExactly("m-1");
		assertThat(open).extracting(ChatMessage::id).containsExactly("m-1", "m-2");
		assertThat(this.broadcaster.listenerCount("general")).isEqualTo(1);
	}

	@Test
	void closingASubscriptionTwiceIsHarmless() {
		List<ChatMessage> other = new CopyOnWriteArrayList<>();
		Subscription subscription = this.broadcaster.subscribe("general", (message) -> {
		});
		this.broadcaster.subscribe("general", other::add);
		subscription.close();
		subscription.close();
		assertThat(this.broadcaster.listenerCount("general")).isEqualTo(1);
		this.broadcaster.broadcast(message("m-1", "general"));
		assertThat(other).hasSize(1);
	}

	@Test
	void forgetsARoomWhenItsLastListenerLeaves() {
		Subscription subscription = this.broadcaster.subscribe("general", (message) -> {
		});
		subscription.close();
		assertThat(this.broadcaster.listenerCount("general")).isZero();
		List<ChatMessage> late = new CopyOnWriteArrayList<>();
		this.broadcaster.subscribe("general", late::add);
		this.broadcaster.broadcast(message("m-1", "general"));
		assertThat(late).hasSize(1);
	}

	@Test
	void keepsDeliveringToTheOthersWhenAListenerThrows() {
		List<ChatMessage> before = new CopyOnWriteArrayList<>();
		List<ChatMessage> after = new CopyOnWriteArrayList<>();
		// Set order is unspecified: listeners on both sides of the throwing one.
		this.broadcaster.subscribe("general", before::add);
		this.broadcaster.subscribe("general", (message) -> {
			throw new IllegalStateException("browser went away");
		});
		this.broadcaster.subscribe("general", after::add);
		this.broadcaster.broadcast(message("m-1", "general"));
		this.broadcaster.broadcast(message("m-2", "general"));
		assertThat(before).extracting(ChatMessage::id).containsExactly("m-1", "m-2");
		assertThat(after).extracting(ChatMessage::id).containsExactly("m-1", "m-2");
	}

	@Test
	void isNamedInProcess() {
		assertThat(this.broadcaster.name()).isEqualTo("in-process");
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
						try (Subscription subscription = this.broadcaster.subscribe("general",
								(message) -> received.add(message.id()))) {
							this.broadcaster.broadcast(message(id, "general"));
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
						this.broadcaster.subscribe("general", (message) -> {
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
			assertThat(this.broadcaster.listenerCount("general")).isZero();
		}
		finally {
			executor.shutdownNow();
		}
	}

}
