package dev.skyfold.chat.application;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.skyfold.chat.application.BroadcastService.Backoff;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.kernel.Deadline;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import static dev.skyfold.chat.application.RecordingBroadcaster.permanentFailure;
import static dev.skyfold.chat.application.RecordingBroadcaster.transientFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The one broadcast path: the live feed, then every broadcaster, gets the message,
 * transient failures are retried with bounded exponential backoff, and failures for good
 * are counted.
 */
class BroadcastServiceTests {

	/** Tiny waits, so that retries cost the test next to nothing. */
	private static final Backoff TINY = new Backoff(3, Duration.ofMillis(1), 2.0, Duration.ofMillis(4));

	private static final ChatMessage MESSAGE = new ChatMessage("m-1", "general", "Ada", "Hello",
			Instant.parse("2026-03-01T12:00:00.123456Z"));

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private BroadcastService service(Backoff backoff, Broadcaster... broadcasters) {
		return new BroadcastService(List.of(broadcasters), backoff, this.meters);
	}

	private BroadcastService service(LiveFeed liveFeed, Broadcaster... broadcasters) {
		return new BroadcastService(liveFeed, List.of(broadcasters), TINY, this.meters);
	}

	/**
	 * A service that reaches the recorder as a broadcaster, or as the live feed, which
	 * must be retried, counted and named the same way.
	 */
	private BroadcastService service(Channel channel, RecordingBroadcaster recorder) {
		return (channel == Channel.LIVE_FEED) ? service(recorder.asLiveFeed()) : service(TINY, recorder);
	}

	enum Channel {

		BROADCASTER, LIVE_FEED

	}

	@Test
	void handsTheMessageToEveryBroadcaster() {
		RecordingBroadcaster live = new RecordingBroadcaster("live");
		RecordingBroadcaster push = new RecordingBroadcaster("push");
		BroadcastResult result = service(TINY, live, push).broadcast(MESSAGE);
		assertThat(result).isEqualTo(new BroadcastResult("m-1", List.of("live", "push"), List.of()));
		assertThat(result.succeeded()).isTrue();
		assertThat(live.delivered()).containsExactly(MESSAGE);
		assertThat(push.delivered()).containsExactly(MESSAGE);
		assertThat(this.meters.find(BroadcastService.FAILURES).counters()).isEmpty();
	}

	@Test
	void succeedsWithNoBroadcasters() {
		BroadcastResult result = service(TINY).broadcast(MESSAGE);
		assertThat(result.delivered()).isEmpty();
		assertThat(result.succeeded()).isTrue();
	}

	@ParameterizedTest
	@EnumSource
	void retriesTransientFailuresUntilTheBroadcastGoesThrough(Channel channel) {
		RecordingBroadcaster flaky = new RecordingBroadcaster("flaky").failingFirst(transientFailure(),
				transientFailure());
		BroadcastResult result = service(channel, flaky).broadcast(MESSAGE);
		assertThat(result.delivered()).containsExactly("flaky");
		assertThat(flaky.attempts()).isEqualTo(3);
		assertThat(flaky.delivered()).containsExactly(MESSAGE);
		assertThat(this.meters.find(BroadcastService.FAILURES).counters()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void givesUpOnTransientFailuresAfterMaxRetries(Channel channel) {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		BroadcastResult result = service(channel, down).broadcast(MESSAGE);
		assertThat(result).isEqualTo(new BroadcastResult("m-1", List.of(), List.of("down"), List.of("down")));
		assertThat(result.succeeded()).isFalse();
		assertThat(result.worthRetrying()).isTrue();
		assertThat(down.attempts()).isEqualTo(1 + TINY.maxRetries());
		assertThat(failures("down", true)).isEqualTo(1.0);
	}

	@Test
	void triesOnceWhenNoRetriesAreConfigured() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		service(new Backoff(0, Duration.ofMillis(1), 2.0, Duration.ofMillis(4)), down).broadcast(MESSAGE);
		assertThat(down.attempts()).isEqualTo(1);
		assertThat(failures("down", true)).isEqualTo(1.0);
	}

	@Test
	void waitsLongerBeforeEachRetry() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		service(new Backoff(3, Duration.ofMillis(10), 2.0, Duration.ofSeconds(1)), down).broadcast(MESSAGE);
		// Lower bounds only: a slow machine may wait longer, never shorter.
		assertThat(down.waits()).hasSize(3);
		assertThat(down.waits().get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(10));
		assertThat(down.waits().get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(20));
		assertThat(down.waits().get(2)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
	}

	@Test
	void capsTheWaitAtMaxDelay() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		// Uncapped, the second wait would be 2 s; capped, it is 20 ms. The bound is
		// generous.
		service(new Backoff(2, Duration.ofMillis(20), 100.0, Duration.ofMillis(20)), down).broadcast(MESSAGE);
		assertThat(down.waits()).hasSize(2);
		assertThat(down.waits().get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(20))
			.isLessThan(Duration.ofMillis(1500));
	}

	@ParameterizedTest
	@EnumSource
	void doesNotRetryPermanentFailures(Channel channel) {
		RecordingBroadcaster rejecting = new RecordingBroadcaster("rejecting").failingAlways(permanentFailure());
		BroadcastResult result = service(channel, rejecting).broadcast(MESSAGE);
		assertThat(result.failed()).containsExactly("rejecting");
		assertThat(result.failedTransiently()).isEmpty();
		assertThat(result.worthRetrying()).isFalse();
		assertThat(rejecting.attempts()).isEqualTo(1);
		assertThat(failures("rejecting", false)).isEqualTo(1.0);
		assertThat(this.meters.find(BroadcastService.FAILURES).tag("transient", "true").counter()).isNull();
	}

	@Test
	void doesNotRetryAtOnceABroadcasterThatRefusesCallsForAWhileButReportsItTransient() {
		RecordingBroadcaster refusing = new RecordingBroadcaster("refusing").failingAlways(BroadcastException
			.unavailable("refusing is unavailable for a while", new IllegalStateException("circuit open")));
		BroadcastResult result = service(TINY, refusing).broadcast(MESSAGE);
		assertThat(result.failed()).containsExactly("refusing");
		assertThat(result.failedTransiently()).containsExactly("refusing");
		assertThat(refusing.attempts()).isEqualTo(1);
		assertThat(failures("refusing", true)).isEqualTo(1.0);
	}

	@Test
	void makesNoAttemptThatCouldOutlastTheDeadlineAndReportsItTransientForTheHostToRetry() {
		RecordingBroadcaster slow = new RecordingBroadcaster("slow").takingAtMost(Duration.ofSeconds(10));
		RecordingBroadcaster quick = new RecordingBroadcaster("quick").takingAtMost(Duration.ofSeconds(1));

		BroadcastResult result = service(TINY, slow, quick).broadcast(MESSAGE, Deadline.after(Duration.ofSeconds(5)));

		assertThat(slow.attempts()).isZero();
		assertThat(result.failed()).containsExactly("slow");
		assertThat(result.failedTransiently()).containsExactly("slow");
		assertThat(result.worthRetrying()).isTrue();
		assertThat(result.delivered()).containsExactly("quick");
		assertThat(failures("slow", true)).isEqualTo(1.0);
	}

	@Test
	void stopsRetryingOnceAnotherAttemptAfterItsWaitNoLongerFitsTheDeadline() {
		Backoff patient = new Backoff(5, Duration.ofMillis(1), 1.0, Duration.ofMillis(1));
		RecordingBroadcaster flaky = new RecordingBroadcaster("flaky").takingAtMost(Duration.ofMillis(300))
			.failingAlways(transientFailure());
		flaky.onAttempt((message) -> sleep(Duration.ofMillis(150)));

		BroadcastResult result = service(patient, flaky).broadcast(MESSAGE, Deadline.after(Duration.ofMillis(700)));

		// 700 ms hold the first attempt (150 ms used), then retries while 301 ms are
		// left.
		assertThat(flaky.attempts()).isBetween(2, 3);
		assertThat(result.failedTransiently()).containsExactly("flaky");
	}

	@Test
	void retriesAsConfiguredWithoutADeadline() {
		RecordingBroadcaster flaky = new RecordingBroadcaster("flaky").takingAtMost(Duration.ofDays(1))
			.failingAlways(transientFailure());

		service(TINY, flaky).broadcast(MESSAGE, Deadline.none());

		assertThat(flaky.attempts()).isEqualTo(1 + TINY.maxRetries());
	}

	@Test
	void doesNotRetryUnexpectedExceptions() {
		RecordingBroadcaster broken = new RecordingBroadcaster("broken")
			.failingAlways(new IllegalStateException("bug"));
		BroadcastResult result = service(TINY, broken).broadcast(MESSAGE);
		assertThat(result.failed()).containsExactly("broken");
		assertThat(result.failedTransiently()).isEmpty();
		assertThat(broken.attempts()).isEqualTo(1);
		assertThat(failures("broken", false)).isEqualTo(1.0);
	}

	@Test
	void stopsRetryingWhenAFailureTurnsPermanent() {
		RecordingBroadcaster flaky = new RecordingBroadcaster("flaky").failingFirst(transientFailure(),
				permanentFailure(), transientFailure());
		BroadcastResult result = service(TINY, flaky).broadcast(MESSAGE);
		assertThat(result.failed()).containsExactly("flaky");
		assertThat(result.failedTransiently()).isEmpty();
		assertThat(flaky.attempts()).isEqualTo(2);
		assertThat(failures("flaky", false)).isEqualTo(1.0);
	}

	@Test
	void keepsBroadcastingThroughTheOthersWhenOneFails() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		RecordingBroadcaster broken = new RecordingBroadcaster("broken")
			.failingAlways(new IllegalStateException("bug"));
		RecordingBroadcaster live = new RecordingBroadcaster("live");
		BroadcastResult result = service(TINY, down, broken, live).broadcast(MESSAGE);
		assertThat(result)
			.isEqualTo(new BroadcastResult("m-1", List.of("live"), List.of("down", "broken"), List.of("down")));
		assertThat(live.delivered()).containsExactly(MESSAGE);
	}

	@Test
	void countsEveryFailureTaggedWithBroadcasterAndTransience() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		RecordingBroadcaster rejecting = new RecordingBroadcaster("rejecting").failingAlways(permanentFailure());
		RecordingBroadcaster live = new RecordingBroadcaster("live");
		BroadcastService service = service(TINY, down, rejecting, live);
		service.broadcast(MESSAGE);
		service.broadcast(new ChatMessage("m-2", "general", "Ada", "Again", MESSAGE.createdAt()));
		assertThat(failures("down", true)).isEqualTo(2.0);
		assertThat(failures("rejecting", false)).isEqualTo(2.0);
		assertThat(this.meters.find(BroadcastService.FAILURES).tag("broadcaster", "live").counters()).isEmpty();
		assertThat(this.meters.find(BroadcastService.FAILURES).counters()).hasSize(2);
		assertThat(live.delivered()).hasSize(2);
	}

	@Test
	void deliversToTheLiveFeedBeforeAnyBroadcaster() {
		List<String> order = new CopyOnWriteArrayList<>();
		RecordingBroadcaster push = new RecordingBroadcaster("push").onAttempt((message) -> order.add("push"));
		RecordingBroadcaster live = new RecordingBroadcaster("in-process").onAttempt((message) -> order.add("live"));
		BroadcastResult result = service(live.asLiveFeed(), push).broadcast(MESSAGE);
		assertThat(order).containsExactly("live", "push");
		assertThat(result).isEqualTo(new BroadcastResult("m-1", List.of("in-process", "push"), List.of()));
		assertThat(live.delivered()).containsExactly(MESSAGE);
		assertThat(push.delivered()).containsExactly(MESSAGE);
	}

	@Test
	void countsALiveFeedThatStaysDownUnderItsNameAndStillBroadcasts() {
		RecordingBroadcaster live = new RecordingBroadcaster("redis").failingAlways(transientFailure());
		RecordingBroadcaster push = new RecordingBroadcaster("push");
		BroadcastResult result = service(live.asLiveFeed(), push).broadcast(MESSAGE);
		assertThat(result).isEqualTo(new BroadcastResult("m-1", List.of("push"), List.of("redis"), List.of("redis")));
		assertThat(live.attempts()).isEqualTo(1 + TINY.maxRetries());
		assertThat(failures("redis", true)).isEqualTo(1.0);
		assertThat(push.delivered()).containsExactly(MESSAGE);
	}

	@Test
	void namesALiveFeedLiveUnlessItSaysOtherwise() {
		List<ChatMessage> received = new CopyOnWriteArrayList<>();
		LiveFeed unnamed = received::add;
		BroadcastResult result = service(unnamed).broadcast(MESSAGE);
		assertThat(result.delivered()).containsExactly("live");
		assertThat(received).containsExactly(MESSAGE);
	}

	@Test
	void broadcastsOnlyToTheBroadcastersWithoutALiveFeed() {
		RecordingBroadcaster push = new RecordingBroadcaster("push");
		BroadcastResult result = new BroadcastService(null, List.of(push), TINY, this.meters).broadcast(MESSAGE);
		assertThat(result).isEqualTo(new BroadcastResult("m-1", List.of("push"), List.of()));
	}

	@Test
	void rejectsAMessageWhoseRoomIsNotARoomAndSendsItNowhere() {
		RecordingBroadcaster live = new RecordingBroadcaster("in-process");
		RecordingBroadcaster push = new RecordingBroadcaster("push");
		ChatMessage badRoom = new ChatMessage("m-1", "Not A Room", "Ada", "Hello", MESSAGE.createdAt());
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> service(live.asLiveFeed(), push).broadcast(badRoom))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
		assertThat(live.attempts()).isZero();
		assertThat(push.attempts()).isZero();
	}

	private double failures(String broadcaster, boolean transientFailure) {
		Counter counter = this.meters.find(BroadcastService.FAILURES)
			.tags("broadcaster", broadcaster, "transient", Boolean.toString(transientFailure))
			.counter();
		assertThat(counter)
			.as("counter %s{broadcaster=%s,transient=%s}", BroadcastService.FAILURES, broadcaster, transientFailure)
			.isNotNull();
		return counter.count();
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
