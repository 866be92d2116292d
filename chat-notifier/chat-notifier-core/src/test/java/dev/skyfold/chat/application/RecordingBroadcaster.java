package dev.skyfold.chat.application;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedDeque;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.LiveFeed;
import org.jspecify.annotations.Nullable;

/**
 * A broadcaster for tests, or through {@link #asLiveFeed()} a live feed: records every
 * attempt and the messages it took, and fails as scripted.
 */
public final class RecordingBroadcaster implements Broadcaster {

	private final String name;

	private final Deque<RuntimeException> nextFailures = new ConcurrentLinkedDeque<>();

	private volatile @Nullable RuntimeException everyFailure;

	private volatile Consumer<ChatMessage> onAttempt = (message) -> {
	};

	private final List<Long> attemptNanos = new CopyOnWriteArrayList<>();

	private final List<ChatMessage> delivered = new CopyOnWriteArrayList<>();

	private volatile Duration longestAttempt = Duration.ZERO;

	public RecordingBroadcaster(String name) {
		this.name = name;
	}

	/**
	 * A failure worth retrying, as a broadcaster reports HTTP 503.
	 * @return the failure
	 */
	public static BroadcastException transientFailure() {
		return new BroadcastException("503 Service Unavailable", true);
	}

	/**
	 * A failure not worth retrying, as a broadcaster reports HTTP 400.
	 * @return the failure
	 */
	public static BroadcastException permanentFailure() {
		return new BroadcastException("400 Bad Request", false);
	}

	/**
	 * Fails the next attempts with these failures, in order, then succeeds.
	 * @param failures the failures
	 * @return this broadcaster
	 */
	public RecordingBroadcaster failingFirst(RuntimeException... failures) {
		this.nextFailures.addAll(Arrays.asList(failures));
		return this;
	}

	/**
	 * Fails every attempt.
	 * @param failure the failure to throw
	 * @return this broadcaster
	 */
	public RecordingBroadcaster failingAlways(RuntimeException failure) {
		this.everyFailure = failure;
		return this;
	}

	/**
	 * Runs an action at the start of every attempt.
	 * @param action the action
	 * @return this broadcaster
	 */
	/**
	 * Says that an attempt may take this long, as a broadcaster with timeouts would.
	 * @param longest the longest attempt
	 * @return this broadcaster
	 */
	public RecordingBroadcaster takingAtMost(Duration longest) {
		this.longestAttempt = longest;
		return this;
	}

	@Override
	public Duration longestAttempt() {
		return this.longestAttempt;
	}

	public RecordingBroadcaster onAttempt(Consumer<ChatMessage> action) {
		this.onAttempt = action;
		return this;
	}

	@Override
	public void broadcast(ChatMessage message) {
		this.attemptNanos.add(System.nanoTime());
		this.onAttempt.accept(message);
		RuntimeException failure = this.nextFailures.poll();
		if (failure == null) {
			failure = this.everyFailure;
		}
		if (failure != null) {
			throw failure;
		}
		this.delivered.add(message);
	}

	@Override
	public String name() {
		return this.name;
	}

	/**
	 * This recorder as a live feed of the same name, which is not also a broadcaster.
	 * @return the live feed
	 */
	public LiveFeed asLiveFeed() {
		return new LiveFeed() {

			@Override
			public void deliver(ChatMessage message) {
				broadcast(message);
			}

			@Override
			public String name() {
				return RecordingBroadcaster.this.name;
			}

		};
	}

	/**
	 * How often {@link #broadcast} was called.
	 * @return the number of attempts
	 */
	public int attempts() {
		return this.attemptNanos.size();
	}

	/**
	 * The waits between consecutive attempts.
	 * @return one wait fewer than attempts
	 */
	public List<Duration> waits() {
		List<Duration> waits = new ArrayList<>();
		for (int i = 1; i < this.attemptNanos.size(); i++) {
			waits.add(Duration.ofNanos(this.attemptNanos.get(i) - this.attemptNanos.get(i - 1)));
		}
		return waits;
	}

	/**
	 * The messages this broadcaster took, in order.
	 * @return the messages
	 */
	public List<ChatMessage> delivered() {
		return List.copyOf(this.delivered);
	}

}
