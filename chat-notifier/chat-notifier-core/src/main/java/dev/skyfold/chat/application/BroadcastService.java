package dev.skyfold.chat.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.Broadcaster;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The one broadcast path {@code postMessage} and {@code broadcastMessage} share: hands a
 * stored message to every broadcaster, retrying transient failures with bounded
 * exponential backoff. A broadcaster that still fails is logged and counted
 * ({@value #FAILURES}, tagged with the broadcaster and whether the failure was
 * transient); the others are unaffected, and the message stays stored.
 */
public class BroadcastService {

	/** The counter of broadcasts that failed for good. */
	public static final String FAILURES = "skyfold.chat.broadcast.failures";

	private static final Logger log = LoggerFactory.getLogger(BroadcastService.class);

	private final List<Broadcaster> broadcasters;

	private final RetryTemplate retry;

	private final MeterRegistry meters;

	public BroadcastService(List<Broadcaster> broadcasters, Backoff backoff, MeterRegistry meters) {
		this.broadcasters = List.copyOf(broadcasters);
		this.retry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(backoff.maxRetries())
			.delay(backoff.initialDelay())
			.multiplier(backoff.multiplier())
			.maxDelay(backoff.maxDelay())
			.predicate((failure) -> failure instanceof BroadcastException broadcast && broadcast.isTransient())
			.build());
		this.meters = meters;
	}

	/**
	 * Broadcasts a stored message through every broadcaster.
	 * @param message the message
	 * @return which broadcasters took it, which failed, and which of those failed
	 * transiently
	 */
	public BroadcastResult broadcast(ChatMessage message) {
		List<String> delivered = new ArrayList<>();
		List<String> failed = new ArrayList<>();
		List<String> failedTransiently = new ArrayList<>();
		for (Broadcaster broadcaster : this.broadcasters) {
			try {
				this.retry.execute(() -> {
					broadcaster.broadcast(message);
					return null;
				});
				delivered.add(broadcaster.name());
			}
			catch (RetryException ex) {
				failed.add(broadcaster.name());
				Throwable cause = ex.getLastException();
				boolean transientFailure = cause instanceof BroadcastException broadcast && broadcast.isTransient();
				if (transientFailure) {
					failedTransiently.add(broadcaster.name());
				}
				Counter.builder(FAILURES)
					.description("Broadcasts that failed after any retries")
					.tag("broadcaster", broadcaster.name())
					.tag("transient", Boolean.toString(transientFailure))
					.register(this.meters)
					.increment();
				log.atWarn()
					.addKeyValue("broadcaster", broadcaster.name())
					.addKeyValue("room", message.room())
					.addKeyValue("messageId", message.id())
					.addKeyValue("attempts", ex.getRetryCount() + 1)
					.setCause(cause)
					.log("Broadcast of message {} through {} failed after {} attempt(s): {}", message.id(),
							broadcaster.name(), ex.getRetryCount() + 1, (cause != null) ? cause.getMessage() : ex);
			}
		}
		return new BroadcastResult(message.id(), delivered, failed, failedTransiently);
	}

	/**
	 * How transient broadcast failures are retried.
	 *
	 * @param maxRetries retries after the first attempt
	 * @param initialDelay the wait before the first retry
	 * @param multiplier how much each wait grows
	 * @param maxDelay the longest wait
	 */
	public record Backoff(int maxRetries, Duration initialDelay, double multiplier, Duration maxDelay) {

		/**
		 * Three retries after 100, 200 and 400 ms.
		 * @return the default backoff
		 */
		public static Backoff defaults() {
			return new Backoff(3, Duration.ofMillis(100), 2.0, Duration.ofSeconds(2));
		}

	}

}
