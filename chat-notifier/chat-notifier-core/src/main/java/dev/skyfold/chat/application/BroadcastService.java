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
import dev.skyfold.kernel.Deadline;
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

	private final Backoff backoff;

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
			channels.add(new Channel(liveFeed.name(), liveFeed::deliver, Duration.ZERO));
		}
		broadcasters.forEach((broadcaster) -> channels
			.add(new Channel(broadcaster.name(), broadcaster::broadcast, broadcaster.longestAttempt())));
		this.channels = List.copyOf(channels);
		this.backoff = backoff;
		this.meters = meters;
	}

	/**
	 * Broadcasts a stored message through the live feed, then every broadcaster, with no
	 * deadline.
	 * @param message the message
	 * @return which of them took it, which failed, and which of those failed transiently
	 * @throws RejectedInputException when the message's room is not a room name
	 */
	public BroadcastResult broadcast(ChatMessage message) {
		return broadcast(message, Deadline.none());
	}

	/**
	 * Broadcasts a stored message through the live feed, then every broadcaster, within
	 * an invocation's deadline: an attempt that could outlast it (a channel's longest
	 * attempt, after the longest wait between retries) is not made, and the channel is
	 * reported as failed transiently, for the platform to deliver the message again
	 * rather than cut the invocation off half-way.
	 * @param message the message
	 * @param deadline when the invocation must be done by
	 * @return which of them took it, which failed, and which of those failed transiently
	 * @throws RejectedInputException when the message's room is not a room name
	 */
	public BroadcastResult broadcast(ChatMessage message, Deadline deadline) {
		Rooms.check(message.room());
		List<String> delivered = new ArrayList<>();
		List<String> failed = new ArrayList<>();
		List<String> failedTransiently = new ArrayList<>();
		for (Channel channel : this.channels) {
			if (!deadline.allows(channel.longestAttempt())) {
				failed(channel, message, 0, BroadcastException.unavailable("Not attempted: " + deadline
						+ ", and an attempt may take " + channel.longestAttempt().toMillis() + " ms", null), failed,
						failedTransiently);
				continue;
			}
			try {
				retryWithin(deadline, channel).execute(() -> {
					channel.delivery().accept(message);
					return null;
				});
				delivered.add(channel.name());
			}
			catch (RetryException ex) {
				failed(channel, message, ex.getRetryCount() + 1, ex.getLastException(), failed, failedTransiently);
			}
		}
		return new BroadcastResult(message.id(), delivered, failed, failedTransiently);
	}

	/** Retries transient failures while another attempt, after its wait, still fits. */
	private RetryTemplate retryWithin(Deadline deadline, Channel channel) {
		Duration nextAttempt = this.backoff.maxDelay().plus(channel.longestAttempt());
		return new RetryTemplate(RetryPolicy.builder()
			.maxRetries(this.backoff.maxRetries())
			.delay(this.backoff.initialDelay())
			.multiplier(this.backoff.multiplier())
			.maxDelay(this.backoff.maxDelay())
			.predicate((failure) -> failure instanceof BroadcastException broadcast && broadcast.retryNow()
					&& deadline.allows(nextAttempt))
			.build());
	}

	private void failed(Channel channel, ChatMessage message, int attempts, @Nullable Throwable cause,
			List<String> failed, List<String> failedTransiently) {
		failed.add(channel.name());
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
			.addKeyValue("attempts", attempts)
			.setCause(cause)
			.log("Broadcast of message {} through {} failed after {} attempt(s): {}", message.id(), channel.name(),
					attempts, (cause != null) ? cause.getMessage() : "unknown");
	}

	/**
	 * Where a message goes: the live feed or a broadcaster, by its name.
	 *
	 * @param name the name in results, logs and metrics
	 * @param delivery hands it a message
	 * @param longestAttempt the longest one attempt may take
	 */
	private record Channel(String name, Consumer<ChatMessage> delivery, Duration longestAttempt) {
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
