package dev.skyfold.local.chat;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;

import dev.skyfold.chat.domain.ChatMessage;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.context.SmartLifecycle;

/**
 * What this instance has to publish to the others, sent in order by one thread of its
 * own, so that a post never waits for Redis: while Redis is unreachable a post is still
 * answered at once, and what could not be published is kept (up to a bound) and sent,
 * oldest first, once Redis is back. When the bound is reached the newest messages are
 * dropped, and once the rest is out a {@link Relayed#resync resync} tells the other
 * instances to have their streams catch up from the history since the first dropped one.
 */
final class RelayOutbox implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RelayOutbox.class);

	private static final Duration FIRST_RETRY = Duration.ofMillis(100);

	private static final Duration LAST_RETRY = Duration.ofSeconds(2);

	private final BlockingQueue<ChatMessage> pending;

	private final Consumer<Relayed> publish;

	private final String origin;

	private final Counter dropped;

	/** When the first message dropped since the last resync was stored. */
	private final AtomicReference<@Nullable Instant> droppedSince = new AtomicReference<>();

	private volatile @Nullable Thread sender;

	/**
	 * Creates an outbox that does nothing until started.
	 * @param origin this instance's id, which receivers use to skip their own messages
	 * @param capacity how many messages it keeps at most
	 * @param publish sends one envelope to Redis, throwing when it cannot
	 * @param meters where its backlog and drops are measured
	 */
	RelayOutbox(String origin, int capacity, Consumer<Relayed> publish, MeterRegistry meters) {
		if (capacity < 1) {
			throw new IllegalArgumentException("skyfold.local.relay-backlog must be at least 1, not " + capacity);
		}
		this.origin = origin;
		this.pending = new LinkedBlockingQueue<>(capacity);
		this.publish = publish;
		Gauge.builder("skyfold.chat.relay.backlog", this.pending, BlockingQueue::size)
			.description("Messages waiting to be relayed to the other instances")
			.register(meters);
		this.dropped = Counter.builder("skyfold.chat.relay.dropped")
			.description("Messages not relayed because the backlog was full; receivers caught up from the history")
			.register(meters);
	}

	/**
	 * Queues a stored message for the other instances; never blocks.
	 * @param message the message
	 */
	void add(ChatMessage message) {
		if (!this.pending.offer(message)) {
			this.dropped.increment();
			this.droppedSince.compareAndSet(null, message.createdAt());
		}
	}

	/**
	 * How many messages wait to be published.
	 * @return the backlog
	 */
	int backlog() {
		return this.pending.size();
	}

	@Override
	public synchronized void start() {
		Thread thread = new Thread(this::send, "redis-relay");
		thread.setDaemon(true);
		this.sender = thread;
		thread.start();
	}

	@Override
	public synchronized void stop() {
		Thread thread = this.sender;
		this.sender = null;
		if (thread != null) {
			thread.interrupt();
		}
	}

	@Override
	public boolean isRunning() {
		return this.sender != null;
	}

	private void send() {
		ChatMessage next = null;
		Duration retry = FIRST_RETRY;
		boolean failing = false;
		while (this.sender == Thread.currentThread()) {
			try {
				if (next == null) {
					next = this.pending.poll(1, TimeUnit.SECONDS);
				}
				Instant since = this.droppedSince.get();
				if (next != null) {
					this.publish.accept(Relayed.message(this.origin, next));
					next = null;
				}
				else if (since != null) {
					this.publish.accept(Relayed.resync(this.origin, since));
					this.droppedSince.compareAndSet(since, null);
				}
				if (failing) {
					log.info("Relaying to the other instances through Redis again; {} message(s) still queued",
							this.pending.size());
					failing = false;
				}
				retry = FIRST_RETRY;
			}
			catch (InterruptedException ex) {
				return;
			}
			catch (RuntimeException ex) {
				if (!failing) {
					log.warn(
							"Cannot relay to the other instances through Redis ({}); keeping up to {} message(s)"
									+ " and trying again",
							ex.toString(), this.pending.remainingCapacity() + this.pending.size());
					failing = true;
				}
				try {
					Thread.sleep(retry.toMillis());
				}
				catch (InterruptedException interrupted) {
					return;
				}
				retry = (retry.compareTo(LAST_RETRY) < 0) ? retry.multipliedBy(2) : LAST_RETRY;
			}
		}
	}

	/**
	 * What instances publish to each other: a stored message, or, when some could not be
	 * relayed, a request to catch up from the history since an instant.
	 *
	 * @param origin the publishing instance's id
	 * @param message the message, or {@code null} for a resync
	 * @param resync for a resync, the instant to catch up from; else {@code null}
	 */
	record Relayed(String origin, @Nullable ChatMessage message, @Nullable Instant resync) {

		static Relayed message(String origin, ChatMessage message) {
			return new Relayed(origin, message, null);
		}

		static Relayed resync(String origin, Instant since) {
			return new Relayed(origin, null, since);
		}

	}

}
