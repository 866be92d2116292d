package dev.skyfold.local.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.local.chat.RelayOutbox.Relayed;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * {@link RelayOutbox}: publishes in order off the caller's thread, keeps what it could
 * not publish until the publisher works again, and once it had to drop messages, asks the
 * others to resync from the first dropped one.
 */
class RelayOutboxTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	private final List<Relayed> published = new CopyOnWriteArrayList<>();

	private final AtomicBoolean down = new AtomicBoolean();

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private RelayOutbox outbox;

	@AfterEach
	void stop() {
		if (this.outbox != null) {
			this.outbox.stop();
		}
	}

	@Test
	void publishesEachMessageInOrderWithItsOrigin() throws InterruptedException {
		start(100);
		for (int i = 0; i < 5; i++) {
			this.outbox.add(message(i));
		}

		await(() -> this.published.size() == 5);
		assertThat(this.published).extracting((relayed) -> relayed.message().id())
			.containsExactly("m0", "m1", "m2", "m3", "m4");
		assertThat(this.published).allSatisfy((relayed) -> assertThat(relayed.origin()).isEqualTo("here"));
	}

	@Test
	void keepsWhatItCouldNotPublishAndSendsItInOrderOnceThePublisherWorksAgain() throws InterruptedException {
		this.down.set(true);
		start(100);
		for (int i = 0; i < 3; i++) {
			this.outbox.add(message(i));
		}
		Thread.sleep(300);
		assertThat(this.published).isEmpty();
		assertThat(this.meters.get("skyfold.chat.relay.backlog").gauge().value()).isGreaterThanOrEqualTo(2);

		this.down.set(false);

		await(() -> this.published.size() == 3);
		assertThat(this.published).extracting((relayed) -> relayed.message().id()).containsExactly("m0", "m1", "m2");
		assertThat(this.outbox.backlog()).isZero();
	}

	@Test
	void dropsWhatDoesNotFitAndAsksTheOthersToResyncFromTheFirstDroppedMessage() throws InterruptedException {
		create(2);
		for (int i = 0; i < 6; i++) {
			this.outbox.add(message(i));
		}
		assertThat(this.meters.get("skyfold.chat.relay.dropped").counter().count()).isEqualTo(4);

		this.outbox.start();

		await(() -> this.published.stream().anyMatch((relayed) -> relayed.resync() != null));
		assertThat(this.published).hasSize(3);
		assertThat(this.published.subList(0, 2)).extracting((relayed) -> relayed.message().id())
			.as("what was kept, in order")
			.containsExactly("m0", "m1");
		Relayed resync = this.published.get(2);
		assertThat(resync.message()).isNull();
		assertThat(resync.resync()).as("the first dropped message's instant").isEqualTo(message(2).createdAt());
	}

	@Test
	void refusesABacklogOfLessThanOneMessage() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new RelayOutbox("here", 0, this.published::add, this.meters))
			.withMessageContaining("skyfold.local.relay-backlog");
	}

	private void start(int capacity) {
		create(capacity);
		this.outbox.start();
	}

	private void create(int capacity) {
		this.outbox = new RelayOutbox("here", capacity, (relayed) -> {
			if (this.down.get()) {
				throw new IllegalStateException("Redis is down");
			}
			this.published.add(relayed);
		}, this.meters);
	}

	private static ChatMessage message(int n) {
		return new ChatMessage("m" + n, "general", "ada", "text " + n,
				Instant.parse("2026-12-06T12:00:00Z").plusSeconds(n));
	}

	private static void await(BooleanSupplier condition) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
			Thread.sleep(10);
		}
		assertThat(condition.getAsBoolean()).as("within %s", WAIT).isTrue();
	}

}
