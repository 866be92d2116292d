package dev.skyfold.chat.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.Rooms;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.kernel.RejectedInputException;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.retry.RetryException;
import org.springframework.core.retry.RetryPolicy;
import org.springframework.core.retry.RetryTemplate;

/**
 * The one broadcast path {@code postMessage} and {@code broadcastMessage} share: hands a
 * stored message to the host's live feed, if it has one, then to every broadcaster,
 * retrying transient failures with bounded exponential backoff. One that still fails is
 * logged and counted ({@value #FAILURES}, tagged with its name and whether the failure
 * was transient); the others are unaffected, and the message stays stored.
 */
public class BroadcastService {

	/** The counter of broadcasts that failed for good. */
	public static final String FAILURES = "skyfold.chat.broadcast.failures";

	private static final Logger log = LoggerFactory.getLogger(BroadcastService.class);

	/** The live feed first, so live subscribers see a message before a slow push. */
	private final List<Channel> channels;

	private final RetryTemplate retry;

	private final MeterRegistry meters;

	/**
	 * Creates the broadcast path of a host without live subscribers.
	 * @param broadcasters the push channels, in order
	 * @param backoff how transient failures are retried
	 * @param meters where failures are counted
	 */
	public BroadcastService(List<Broadcaster> broadcasters, Backoff backoff, MeterRegistry meters) {
		this(null, broadcasters, backoff, meters);
	}

	/**
	 * Creates the broadcast path.
	 * @param liveFeed the host's live feed, or {@code null} when it has no live
	 * subscribers
	 * @param broadcasters the push channels, in order
	 * @param backoff how transient failures are retried
	 * @param meters where failures are counted
	 */
	public BroadcastService(@Nullable LiveFeed liveFeed, List<Broadcaster> broadcasters, Backoff backoff,
			MeterRegistry meters) {
		List<Channel> channels = new ArrayList<>();
		if (liveFeed != null) {
			channels.add(new Channel(liveFeed.name(), liveFeed::deliver));
		}
		broadcasters.forEach((broadcaster) -> channels.add(new Channel(broadcaster.name(), broadcaster::broadcast)));
		this.channels = List.copyOf(channels);
		this.retry = new RetryTemplate(RetryPolicy.builder()
			.maxRetries(backoff.maxRetries())
			.delay(backoff.initialDelay())
			.multiplier(backoff.multiplier())
			.maxDelay(backoff.maxDelay())
			.predicate((failure) -> failure instanceof BroadcastException broadcast && broadcast.retryNow())
			.build());
		this.meters = meters;
	}

	/**
	 * Broadcasts a stored message through the live feed, then every broadcaster.
	 * @param message the message
	 * @return which of them took it, which failed, and which of those failed transiently
	 * @throws RejectedInputException when the message's room is not a room name
	 */
	public BroadcastResult broadcast(ChatMessage message) {
		Rooms.check(message.room());
		List<String> delivered = new ArrayList<>();
		List<String> failed = new ArrayList<>();
		List<String> failedTransiently = new ArrayList<>();
		for (Channel channel : this.channels) {
			try {
				this.retry.execute(() -> {
					channel.delivery().accept(message);
					return null;
				});
				delivered.add(channel.name());
			}
			catch (RetryException ex) {
				failed.add(channel.name());
				Throwable cause = ex.getLastException();
				boolean transientFailure = cause instanceof BroadcastException broadcast && broadcast.isTransient();
				if (transientFailure) {
					failedTransiently.add(channel.name());
				}
				Counter.builder(FAILURES)
					.description("Broadcasts that failed after any retries")
					.tag("broadcaster", channel.name())
					.tag("transient", Boolean.toString(transientFailure))
					.register(this.meters)
					.increment();
				log.atWarn()
					.addKeyValue("broadcaster", channel.name())
					.addKeyValue("room", message.room())
					.addKeyValue("messageId", message.id())
					.addKeyValue("attempts", ex.getRetryCount() + 1)
					.setCause(cause)
					.log("Broadcast of message {} through {} failed after {} attempt(s): {}", message.id(),
							channel.name(), ex.getRetryCount() + 1, (cause != null) ? cause.getMessage() : ex);
			}
		}
		return new BroadcastResult(message.id(), delivered, failed, failedTransiently);
	}

	/**
	 * Where a message goes: the live feed or a broadcaster, by its name.
	 *
	 * @param name the name in results, logs and metrics
	 * @param delivery hands it a message
	 */
	private record Channel(String name, Consumer<ChatMessage> delivery) {
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
