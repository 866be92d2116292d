package dev.skyfold.local.chat;

import java.io.IOException;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.port.MessageStore;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.ServletRequest;
import jakarta.servlet.ServletResponse;
import jakarta.servlet.WriteListener;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggerConfiguration;
import org.springframework.boot.logging.LoggingSystem;
import org.springframework.transaction.support.TransactionOperations;

/**
 * Warms the chat's post and fan-out paths while the app starts, before it reports ready
 * (Spring Boot runs application runners before the readiness state turns to accepting
 * traffic), so that the first messages users post after a start are not slowed by class
 * loading, lazily built serialisers, the store's first statements and interpreted code.
 * <p>
 * It posts built-in sample messages through {@code postMessage} into a private room whose
 * name is random, on a {@link ChatService} and {@link BroadcastService} of its own (the
 * classes every post runs): each is checked, stored by the app's store inside a
 * transaction that is then rolled back (the embedded database then writes its changed
 * pages to its file, as it does on every commit), serialised as a live event once, and
 * written by the app's room stream writers to in-process streams of the warm-up's own.
 * <p>
 * When the app is its own token issuer and serves plain HTTP, the warm-up also sends
 * itself requests over loopback ({@link LoopbackTraffic}), with a short-lived token that
 * only lets it read: live streams of the room, through which every sample message goes
 * out on real sockets, and a {@code messageHistory} read after each post. Those compile
 * the connector, the access rule and the functions' web layer, which the in-process part
 * cannot reach and which cost a cold app most of its first seconds (p99 1.1 s without
 * them, 0.34 to 0.47 s with them, in the fan-out benchmark's first 10 s).
 * <p>
 * Then it waits (up to 5 s) for the JIT compiler to finish compiling what ran. It leaves
 * no trace users see: nothing stays stored, no push channel (FCM) or other instance is
 * told, no live stream of a user is in that room, its streams end when it does, its
 * meters go to a registry of its own, the app's observations (timers, spans) are off on
 * its thread and for its own requests, and the per-message log line is quieted while it
 * runs. Its outcome is logged and shown under {@code chatWarmUp} in
 * {@code /actuator/info}. On by default; {@code skyfold.local.warm-up.enabled=false}
 * switches it off.
 */
final class ChatWarmUp implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(ChatWarmUp.class);

	/** Where its sample messages come from, as the stored author. */
	static final String AUTHOR = "skyfold-warm-up";

	/** The start of its rooms' names; the rest is random. */
	static final String ROOM_PREFIX = "skyfold-warm-up-";

	/** Its streams: enough for each writer to write several per flush. */
	private static final int STREAMS = 8;

	/** Posts between waits for the streams, so that the writers write many times. */
	private static final int BURST = 25;

	/** Posts between two checkpoints of the store's database. */
	private static final int CHECKPOINT_EVERY = 5;

	private static final Duration STREAM_WAIT = Duration.ofSeconds(10);

	/** How long the JIT compiler must have finished nothing for the warm-up to end. */
	private static final Duration COMPILER_QUIET = Duration.ofMillis(300);

	/** The longest the warm-up waits for the JIT compiler to finish what it started. */
	private static final Duration COMPILER_WAIT = Duration.ofSeconds(5);

	/** Set on the warm-up's thread, and on the threads serving its requests. */
	private static final ThreadLocal<Boolean> WARMING = new ThreadLocal<>();

	/** The loopback requests of the warm-up under way, if any. */
	private static volatile @Nullable LoopbackTraffic loopbackUnderWay;

	private final MessageStore store;

	private final TransactionOperations transactions;

	private final Runnable checkpoint;

	private final RoomHub hub;

	private final RoomStreams streams;

	private final JsonMapper json;

	private final @Nullable LoggingSystem logging;

	private final ApplicationAvailability availability;

	private final int rounds;

	private final Supplier<@Nullable LoopbackTraffic> loopback;

	private volatile @Nullable Result first;

	/**
	 * Creates the warm-up.
	 * @param store the app's message store, as posts reach it
	 * @param transactions transactions on the store's database, which the warm-up rolls
	 * back
	 * @param checkpoint has the store's database write what changed to its file, as every
	 * commit of the embedded store does; does nothing for another database
	 * @param hub the app's room hub
	 * @param streams the app's room streams
	 * @param json the app's JSON mapper
	 * @param logging the logging system, to quiet the per-message log line; may be
	 * {@code null}
	 * @param availability the app's availability, whose readiness the warm-up records
	 * @param rounds how many sample messages it posts
	 * @param loopback opens requests to the app's own server, or gives {@code null} when
	 * there is none to send them to
	 */
	ChatWarmUp(MessageStore store, TransactionOperations transactions, Runnable checkpoint, RoomHub hub,
			RoomStreams streams, JsonMapper json, @Nullable LoggingSystem logging, ApplicationAvailability availability,
			int rounds, Supplier<@Nullable LoopbackTraffic> loopback) {
		if (rounds < 1) {
			throw new IllegalArgumentException("skyfold.local.warm-up.rounds must be at least 1, not " + rounds);
		}
		this.store = store;
		this.transactions = transactions;
		this.checkpoint = checkpoint;
		this.hub = hub;
		this.streams = streams;
		this.json = json;
		this.logging = logging;
		this.availability = availability;
		this.rounds = rounds;
		this.loopback = loopback;
	}

	/**
	 * Whether the current thread is warming up, when the app's observations are off.
	 * @return whether it is
	 */
	static boolean inProgress() {
		return WARMING.get() != null;
	}

	/**
	 * Serves a request as part of the warm-up (its observations off) when it is one of
	 * the warm-up's own loopback requests, and as any other request otherwise.
	 * @param request the request
	 * @param response its response
	 * @param chain the filters and servlet that serve it
	 * @throws IOException as serving it throws
	 * @throws ServletException as serving it throws
	 */
	static void serve(ServletRequest request, ServletResponse response, FilterChain chain)
			throws IOException, ServletException {
		LoopbackTraffic traffic = loopbackUnderWay;
		if (traffic == null || !(request instanceof HttpServletRequest http) || !traffic.sent(http)) {
			chain.doFilter(request, response);
			return;
		}
		WARMING.set(Boolean.TRUE);
		try {
			chain.doFilter(request, response);
		}
		finally {
			WARMING.remove();
		}
	}

	@Override
	public void run(ApplicationArguments args) {
		warmUp();
	}

	/**
	 * What the first warm-up, the one at start, did.
	 * @return its outcome, or {@code null} before it ran
	 */
	@Nullable Result first() {
		return this.first;
	}

	/**
	 * Posts the sample messages and streams them, leaving no trace.
	 * @return what it did
	 */
	synchronized Result warmUp() {
		long started = System.nanoTime();
		String readiness = this.availability.getReadinessState().name();
		String room = ROOM_PREFIX + UUID.randomUUID().toString().replace("-", "");
		SimpleMeterRegistry meters = new SimpleMeterRegistry();
		BroadcastService broadcasts = new BroadcastService(new NamedLiveFeed("in-process", this.hub::deliver),
				List.of(), BroadcastService.Backoff.defaults(), meters);
		PostMessageFunction postMessage = new PostMessageFunction(
				new ChatService(this.store, broadcasts, 50, Clock.systemUTC(), meters));
		List<Sink> sinks = new ArrayList<>();
		for (int i = 0; i < STREAMS; i++) {
			Sink sink = new Sink();
			this.streams.open(room, AUTHOR, sink, sink.out, () -> {
			});
			sinks.add(sink);
		}
		@Nullable LogLevel quieted = quiet();
		WARMING.set(Boolean.TRUE);
		int posted = 0;
		String outcome = "done";
		LoopbackTraffic traffic = null;
		try {
			traffic = openLoopback(room);
			for (int i = 0; i < this.rounds && outcome.equals("done"); i++) {
				// As a browser posts it: JSON with a client message id.
				byte[] body = ("{\"room\":\"" + room + "\",\"author\":\"" + AUTHOR + "\",\"text\":\"warm-up message "
						+ i + "\",\"clientMessageId\":\"warm-up-" + i + "\"}")
					.getBytes(StandardCharsets.UTF_8);
				PostMessage post = this.json.readValue(body, PostMessage.class);
				ChatMessage stored = rolledBack(() -> postMessage.apply(post));
				this.json.writeValueAsBytes(stored);
				posted++;
				if (traffic != null) {
					traffic.readHistory(room);
				}
				if (posted % CHECKPOINT_EVERY == 0) {
					// What the rollbacks changed is written as a commit writes: the
					// embedded store serialises its pages into its file on every commit,
					// and that code is the costliest part of a cold post.
					this.checkpoint.run();
				}
				if (i == 0 && !this.store.latest(room, null, 1).isEmpty()) {
					outcome = "stopped: the store kept a message its transaction rolled back";
				}
				else if ((posted % BURST == 0 || posted == this.rounds) && !allStreamed(sinks, traffic, posted)) {
					outcome = "stopped: the streams did not get the messages within " + STREAM_WAIT.toSeconds() + " s";
				}
			}
		}
		catch (RuntimeException ex) {
			// A store that is down or a data disk that is full must not keep the app from
			// starting: it only starts colder, and serves what it can.
			outcome = "stopped: a sample post failed (" + ex + ")";
		}
		catch (IOException ex) {
			outcome = "stopped: a request over loopback failed (" + ex.getMessage() + ")";
		}
		finally {
			WARMING.remove();
			loopbackUnderWay = null;
			// Its streams end here, the loopback ones' connections with them.
			this.streams.close(room);
			if (traffic != null) {
				traffic.close();
			}
			restore(quieted);
		}
		// The code the warm-up ran is being compiled: done before users come, the JIT
		// does not compete with their first posts for the CPU.
		awaitCompilerQuiet();
		long streamed = sinks.stream().mapToLong((sink) -> sink.events).min().orElse(0);
		Result result = new Result(posted, sinks.size(), streamed, (traffic != null) ? traffic.streams() : 0,
				(traffic != null) ? traffic.requests() : 0, Duration.ofNanos(System.nanoTime() - started), readiness,
				outcome);
		if (this.first == null) {
			this.first = result;
		}
		if (outcome.equals("done")) {
			log.info("Warmed up the chat's post and fan-out paths in {} ms: posted {} sample messages (rolled back) "
					+ "and streamed each to {} in-process and {} loopback streams; {} history reads over loopback",
					result.took().toMillis(), posted, sinks.size(), result.loopbackStreams(),
					result.loopbackRequests());
		}
		else {
			log.warn("Chat warm-up {} after {} sample messages", outcome, posted);
		}
		return result;
	}

	private static void awaitCompilerQuiet() {
		CompilationMXBean compiler = ManagementFactory.getCompilationMXBean();
		if (compiler == null || !compiler.isCompilationTimeMonitoringSupported()) {
			return;
		}
		long deadline = System.nanoTime() + COMPILER_WAIT.toNanos();
		long compiled = compiler.getTotalCompilationTime();
		long quietSince = System.nanoTime();
		while (System.nanoTime() - quietSince < COMPILER_QUIET.toNanos() && System.nanoTime() - deadline < 0) {
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(20));
			long now = compiler.getTotalCompilationTime();
			if (now != compiled) {
				compiled = now;
				quietSince = System.nanoTime();
			}
		}
	}

	private ChatMessage rolledBack(Supplier<ChatMessage> post) {
		ChatMessage stored = this.transactions.execute((status) -> {
			status.setRollbackOnly();
			return post.get();
		});
		if (stored == null) {
			throw new IllegalStateException("The warm-up's post returned nothing");
		}
		return stored;
	}

	/**
	 * Opens the warm-up's loopback streams of its room, when the app can send itself
	 * requests; a failure leaves the warm-up in process.
	 */
	private @Nullable LoopbackTraffic openLoopback(String room) {
		LoopbackTraffic traffic = null;
		try {
			traffic = this.loopback.get();
			if (traffic == null) {
				return null;
			}
			loopbackUnderWay = traffic;
			traffic.openStreams(room, STREAMS, STREAM_WAIT);
			return traffic;
		}
		catch (IOException | RuntimeException ex) {
			log.warn("The chat warm-up stays in process: {}", ex.getMessage());
			loopbackUnderWay = null;
			if (traffic != null) {
				traffic.close();
			}
			return null;
		}
	}

	private boolean allStreamed(List<Sink> sinks, @Nullable LoopbackTraffic traffic, int events) {
		long deadline = System.nanoTime() + STREAM_WAIT.toNanos();
		for (Sink sink : sinks) {
			if (!await(() -> sink.events >= events, deadline)) {
				return false;
			}
		}
		return traffic == null || await(() -> traffic.streamed() >= events, deadline);
	}

	private static boolean await(BooleanSupplier done, long deadline) {
		while (!done.getAsBoolean()) {
			if (System.nanoTime() - deadline > 0) {
				return false;
			}
			LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
		}
		return true;
	}

	/** Raises the per-message log line's logger to WARN; returns its configured level. */
	private @Nullable LogLevel quiet() {
		if (this.logging == null) {
			return null;
		}
		LoggerConfiguration configuration = this.logging.getLoggerConfiguration(ChatService.class.getName());
		LogLevel configured = (configuration != null) ? configuration.getConfiguredLevel() : null;
		LogLevel effective = (configuration != null) ? configuration.getEffectiveLevel() : null;
		if (effective == null || effective.ordinal() < LogLevel.WARN.ordinal()) {
			this.logging.setLogLevel(ChatService.class.getName(), LogLevel.WARN);
		}
		return configured;
	}

	private void restore(@Nullable LogLevel configured) {
		if (this.logging != null) {
			this.logging.setLogLevel(ChatService.class.getName(), configured);
		}
	}

	/**
	 * What a warm-up did.
	 *
	 * @param posted the sample messages posted
	 * @param streams its in-process streams
	 * @param streamed the messages every one of its streams received
	 * @param loopbackStreams its live streams over loopback, through the app's server
	 * @param loopbackRequests its history reads over loopback
	 * @param took how long it took
	 * @param readiness the app's readiness state while it ran
	 * @param outcome {@code done}, or why it stopped early
	 */
	record Result(int posted, int streams, long streamed, int loopbackStreams, int loopbackRequests, Duration took,
			String readiness, String outcome) {
	}

	/**
	 * One of the warm-up's streams: the async context and body of a request that is not
	 * there, counting the message events written to it.
	 */
	private static final class Sink implements AsyncContext {

		private static final byte[] MESSAGE = "event: message\n".getBytes(StandardCharsets.UTF_8);

		private final List<AsyncListener> listeners = new CopyOnWriteArrayList<>();

		private final Out out = new Out();

		private volatile long events;

		private boolean completed;

		private long timeout;

		@Override
		public void complete() {
			synchronized (this) {
				if (this.completed) {
					return;
				}
				this.completed = true;
			}
			for (AsyncListener listener : this.listeners) {
				try {
					listener.onComplete(new AsyncEvent(this));
				}
				catch (IOException ex) {
					log.debug("A warm-up stream's listener failed: {}", ex.toString());
				}
			}
		}

		@Override
		public void addListener(AsyncListener listener) {
			this.listeners.add(listener);
		}

		@Override
		public void addListener(AsyncListener listener, ServletRequest request, ServletResponse response) {
			this.listeners.add(listener);
		}

		@Override
		public ServletRequest getRequest() {
			throw new UnsupportedOperationException("A warm-up stream has no request");
		}

		@Override
		public ServletResponse getResponse() {
			throw new UnsupportedOperationException("A warm-up stream has no response");
		}

		@Override
		public boolean hasOriginalRequestAndResponse() {
			return true;
		}

		@Override
		public void dispatch() {
			throw new UnsupportedOperationException("A warm-up stream is not dispatched");
		}

		@Override
		public void dispatch(String path) {
			dispatch();
		}

		@Override
		public void dispatch(ServletContext context, String path) {
			dispatch();
		}

		@Override
		public void start(Runnable run) {
			run.run();
		}

		@Override
		public <T extends AsyncListener> T createListener(Class<T> type) {
			throw new UnsupportedOperationException("A warm-up stream creates no listeners");
		}

		@Override
		public void setTimeout(long timeout) {
			this.timeout = timeout;
		}

		@Override
		public long getTimeout() {
			return this.timeout;
		}

		/** The body: always ready, counting message events and keeping nothing. */
		private final class Out extends ServletOutputStream {

			@Override
			public boolean isReady() {
				return true;
			}

			@Override
			public void setWriteListener(WriteListener listener) {
			}

			@Override
			public void write(int b) {
				write(new byte[] { (byte) b }, 0, 1);
			}

			@Override
			public void write(byte[] bytes, int offset, int length) {
				// The writer writes whole events, so an event is never split between
				// writes.
				long found = 0;
				outer: for (int i = offset; i <= offset + length - MESSAGE.length; i++) {
					for (int j = 0; j < MESSAGE.length; j++) {
						if (bytes[i + j] != MESSAGE[j]) {
							continue outer;
						}
					}
					found++;
				}
				Sink.this.events += found;
			}

		}

	}

}
