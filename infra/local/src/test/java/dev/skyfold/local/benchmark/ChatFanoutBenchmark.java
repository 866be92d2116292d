package dev.skyfold.local.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLongArray;

import com.sun.net.httpserver.HttpServer;

/**
 * Fan-out benchmark of the local app's chat: opens N Server-Sent Events subscribers on
 * one room, posts M messages per second through {@code POST /fn/postMessage} for a while,
 * and prints how many events were delivered, lost and duplicated, the end-to-end latency
 * (post sent → event received) p50/p99/max and the sustained rate. Run by
 * {@code chat-notifier/benchmark/run.sh} against a running app.
 * <p>
 * Usage: {@code ChatFanoutBenchmark BASE_URL SUBSCRIBERS MESSAGES_PER_SECOND SECONDS
 * [WARM_UP_SECONDS [CLIENT_THREADS]]}, with a member's bearer token in the environment
 * variable {@code BENCH_TOKEN}: the warm-up posts at the same rate first and is not
 * measured, as a service that has been running would have its hot paths compiled. The
 * streams are read by {@code CLIENT_THREADS} threads (default 1), each with a selector of
 * its own over its share of the connections. Latency is printed for the whole run, for
 * the messages posted in its first 10 s and after, and for each 10 s of it.
 * <p>
 * Before it connects, the harness runs its own code for {@code HARNESS_WARM_UP_SECONDS}
 * (environment, default 5; 0 skips it) against a stand-in of the app on loopback, so that
 * the first seconds' figures are the app's and not the harness's own JIT compilation.
 */
public final class ChatFanoutBenchmark {

	private static final byte[] SEQUENCE = "\"text\":\"bench ".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] GREETING = ": subscribed".getBytes(StandardCharsets.US_ASCII);

	private static final byte[] EVENT_END = "\n\n".getBytes(StandardCharsets.US_ASCII);

	private static final int WINDOW_SECONDS = 10;

	/** The stand-in's streams while the harness warms up. */
	private static final int HARNESS_WARM_UP_STREAMS = 100;

	/** The token the app's access rule asks for: a member may post and follow a room. */
	private static final String AUTHORIZATION = "Bearer " + System.getenv().getOrDefault("BENCH_TOKEN", "");

	private ChatFanoutBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		URI base = URI.create(args[0]);
		int subscribers = Integer.parseInt(args[1]);
		int rate = Integer.parseInt(args[2]);
		int seconds = Integer.parseInt(args[3]);
		int warmUpSeconds = (args.length > 4) ? Integer.parseInt(args[4]) : 0;
		int clientThreads = (args.length > 5) ? Math.max(1, Integer.parseInt(args[5])) : 1;
		int messages = rate * seconds;
		int warmUpMessages = rate * warmUpSeconds;
		String room = "bench-" + Long.toString(System.nanoTime(), 36);
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.executor(Executors.newFixedThreadPool(4))
			.build();
		warmUpHarness(client, rate, clientThreads,
				Integer.parseInt(System.getenv().getOrDefault("HARNESS_WARM_UP_SECONDS", "5")));

		AtomicLongArray sentAt = new AtomicLongArray(messages);
		CountDownLatch subscribed = new CountDownLatch(subscribers);
		List<Reader> readers = new ArrayList<>();
		for (int i = 0; i < clientThreads; i++) {
			int share = subscribers / clientThreads + ((i < subscribers % clientThreads) ? 1 : 0);
			readers.add(new Reader(share, rate * WINDOW_SECONDS, messages, sentAt, subscribed));
		}
		long connectStarted = System.nanoTime();
		byte[] request = ("GET /rooms/" + room + "/stream HTTP/1.0\r\nHost: " + base.getAuthority()
				+ "\r\nAccept: text/event-stream\r\nAuthorization: " + AUTHORIZATION + "\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
		for (int i = 0; i < subscribers; i++) {
			readers.get(i % clientThreads).connect(base, request);
		}
		for (int i = 0; i < clientThreads; i++) {
			Thread thread = new Thread(readers.get(i), "sse-reader-" + i);
			thread.setDaemon(true);
			thread.start();
		}
		// Each stream is a request through the app's security: thousands take a while.
		long subscribeSeconds = 60 + subscribers / 100;
		if (!subscribed.await(subscribeSeconds, TimeUnit.SECONDS)) {
			System.out.printf("SUBSCRIBED %d of %d within %d s; giving up%n", subscribers - subscribed.getCount(),
					subscribers, subscribeSeconds);
			System.exit(1);
		}
		System.out.printf(Locale.ROOT, "SUBSCRIBERS %d ROOM %s RATE %d/s SECONDS %d AFTER %d s OF WARM-UP%n",
				subscribers, room, rate, seconds, warmUpSeconds);
		System.out.printf(Locale.ROOT, "SUBSCRIBED in %.1f s, read by %d client thread(s)%n",
				(System.nanoTime() - connectStarted) / 1e9, clientThreads);

		// Warm-up messages say "warm N", which the subscribers read but do not count.
		ScheduledExecutorService poster = Executors.newScheduledThreadPool(2);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger postFailures = new AtomicInteger();
		AtomicInteger refused = new AtomicInteger();
		Map<String, Integer> failureReasons = new ConcurrentHashMap<>();
		long[] postLatencies = new long[messages];
		CountDownLatch posted = new CountDownLatch(messages);
		long[] start = new long[2];
		poster.scheduleAtFixedRate(() -> {
			int sequence = next.getAndIncrement() - warmUpMessages;
			if (sequence >= messages) {
				return;
			}
			if (sequence == 0) {
				start[0] = System.nanoTime();
				start[1] = processCpuNanos();
			}
			String text = (sequence < 0) ? "warm " + -sequence : "bench " + sequence;
			HttpRequest post = post(base, room, text);
			long sent = System.nanoTime();
			if (sequence >= 0) {
				sentAt.set(sequence, sent);
			}
			CompletableFuture<HttpResponse<Void>> reply = client.sendAsync(post,
					HttpResponse.BodyHandlers.discarding());
			reply.whenComplete((response, failure) -> {
				if (sequence < 0) {
					return;
				}
				if (failure == null && response.statusCode() != 200) {
					// Answered with a refusal (a 503 stores nothing): no one should get
					// it.
					refused.incrementAndGet();
				}
				if (failure != null || response.statusCode() != 200) {
					postFailures.incrementAndGet();
					failureReasons.merge(
							(failure != null) ? failure.getClass().getSimpleName() : "HTTP " + response.statusCode(), 1,
							Integer::sum);
				}
				postLatencies[sequence] = System.nanoTime() - sent;
				posted.countDown();
			});
		}, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
		posted.await(warmUpSeconds + seconds + 60L, TimeUnit.SECONDS);
		double postSeconds = (System.nanoTime() - start[0]) / 1e9;
		double clientCpuSeconds = (processCpuNanos() - start[1]) / 1e9;
		poster.shutdownNow();
		long expected = (long) subscribers * (messages - refused.get());
		// Let the last events arrive.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline && delivered(readers) < expected) {
			Thread.sleep(50);
		}
		// The readers stop, so that their figures can be read.
		for (Reader reader : readers) {
			reader.stop();
		}

		long delivered = delivered(readers);
		long duplicates = readers.stream().mapToLong((reader) -> reader.duplicates).sum();
		System.out.printf(Locale.ROOT, "POSTED %d in %.2f s (%.1f messages/s), %d failed%s%n", messages, postSeconds,
				messages / postSeconds, postFailures.get(), failureReasons.isEmpty() ? "" : " " + failureReasons);
		// Expected: every message not refused, to every stream.
		System.out.printf(Locale.ROOT, "DELIVERED %d of %d, LOST %d, DUPLICATED %d%n", delivered, expected,
				expected - delivered, duplicates);
		int windows = readers.get(0).latencies.windows();
		print("LATENCY_MS", merged(readers, 0, windows));
		print("FIRST_10S_MS", merged(readers, 0, 1));
		print("AFTER_10S_MS", merged(readers, 1, windows));
		for (int window = 0; window < windows; window++) {
			print(String.format(Locale.ROOT, "  %3d-%3d s", window * WINDOW_SECONDS, (window + 1) * WINDOW_SECONDS),
					merged(readers, window, window + 1));
		}
		print("POST_MS", postLatencies.clone());
		System.out.printf(Locale.ROOT, "EVENTS_PER_S %.0f%n", delivered / postSeconds);
		System.out.printf(Locale.ROOT, "CLIENT_CPU %.1f s while posting%n", clientCpuSeconds);
		System.exit(0);
	}

	private static HttpRequest post(URI base, String room, String text) {
		return HttpRequest.newBuilder(base.resolve("/fn/postMessage"))
			.header("Content-Type", "application/json")
			.header("Authorization", AUTHORIZATION)
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"room\":\"" + room + "\",\"author\":\"bench\",\"text\":\"" + text + "\"}"))
			.build();
	}

	/**
	 * Runs the harness's posting and reading code for a while against a stand-in of the
	 * app: a cold harness adds its own JIT compilation to what it measures (a warm app
	 * read by a cold harness showed p99 292 ms in the first 10 s, 106 ms after). The
	 * stand-in answers each post with 200 and writes it as an event to each of its
	 * streams.
	 */
	private static void warmUpHarness(HttpClient client, int rate, int clientThreads, int seconds) throws Exception {
		if (seconds <= 0) {
			return;
		}
		long started = System.nanoTime();
		int messages = rate * seconds;
		AtomicLongArray sentAt = new AtomicLongArray(messages);
		CountDownLatch subscribed = new CountDownLatch(HARNESS_WARM_UP_STREAMS);
		List<SocketChannel> streams = new CopyOnWriteArrayList<>();
		HttpServer standIn = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		standIn.createContext("/fn/postMessage", (exchange) -> {
			String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
			byte[] event = ("event: message\ndata: " + body + "\n\n").getBytes(StandardCharsets.UTF_8);
			for (SocketChannel stream : streams) {
				stream.write(ByteBuffer.wrap(event));
			}
			exchange.sendResponseHeaders(200, -1);
			exchange.close();
		});
		List<Reader> readers = new ArrayList<>();
		try (ServerSocketChannel listener = ServerSocketChannel.open()) {
			listener.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
			standIn.start();
			URI standInBase = URI.create("http://127.0.0.1:" + standIn.getAddress().getPort());
			URI streamBase = URI.create("http://127.0.0.1:" + listener.socket().getLocalPort());
			byte[] request = "GET /stream HTTP/1.0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
			byte[] greeting = "HTTP/1.0 200 OK\r\n\r\n: subscribed\n\n".getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < clientThreads; i++) {
				readers.add(new Reader(HARNESS_WARM_UP_STREAMS / clientThreads + 1, messages, messages, sentAt,
						subscribed));
			}
			for (int i = 0; i < HARNESS_WARM_UP_STREAMS; i++) {
				readers.get(i % clientThreads).connect(streamBase, request);
				SocketChannel stream = listener.accept();
				stream.write(ByteBuffer.wrap(greeting));
				streams.add(stream);
			}
			for (Reader reader : readers) {
				Thread thread = new Thread(reader, "harness-warm-up-reader");
				thread.setDaemon(true);
				thread.start();
			}
			subscribed.await(10, TimeUnit.SECONDS);
			for (int i = 0; i < messages; i++) {
				long due = started + TimeUnit.SECONDS.toNanos(i) / rate;
				TimeUnit.NANOSECONDS.sleep(Math.max(0, due - System.nanoTime()));
				sentAt.set(i, System.nanoTime());
				client.sendAsync(post(standInBase, "harness", "bench " + i), HttpResponse.BodyHandlers.discarding());
			}
			long expected = (long) HARNESS_WARM_UP_STREAMS * messages;
			long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
			while (System.nanoTime() < deadline && delivered(readers) < expected) {
				Thread.sleep(20);
			}
			System.out.printf(Locale.ROOT, "HARNESS warmed up in %.1f s on a stand-in: %d of %d events read%n",
					(System.nanoTime() - started) / 1e9, delivered(readers), expected);
		}
		finally {
			for (Reader reader : readers) {
				reader.stop();
			}
			standIn.stop(0);
			for (SocketChannel stream : streams) {
				stream.close();
			}
		}
	}

	private static long delivered(List<Reader> readers) {
		return readers.stream().mapToLong(Reader::delivered).sum();
	}

	/** The latencies of the messages in windows {@code from} to {@code to} (excluded). */
	private static long[] merged(List<Reader> readers, int from, int to) {
		long[][] parts = new long[readers.size() * Math.max(0, to - from)][];
		int part = 0;
		for (Reader reader : readers) {
			for (int window = from; window < to; window++) {
				parts[part++] = reader.latencies.window(window);
			}
		}
		long[] all = new long[Arrays.stream(parts).mapToInt((latencies) -> latencies.length).sum()];
		int at = 0;
		for (long[] latencies : parts) {
			System.arraycopy(latencies, 0, all, at, latencies.length);
			at += latencies.length;
		}
		return all;
	}

	private static void print(String label, long[] nanos) {
		Arrays.sort(nanos);
		System.out.printf(Locale.ROOT, "%s p50 %.1f p99 %.1f max %.1f%n", label, percentile(nanos, 0.50),
				percentile(nanos, 0.99), percentile(nanos, 1.0));
	}

	private static long processCpuNanos() {
		return ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getProcessCpuTime();
	}

	private static double percentile(long[] sorted, double fraction) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	/**
	 * Its share of the SSE connections, read by one thread with a selector: the JDK's
	 * HttpClient spends more per small read than the server spends per event, and would
	 * measure itself. Its figures are its own, so that readers never contend; they are
	 * read once it has stopped.
	 */
	private static final class Reader implements Runnable {

		private final CountDownLatch subscribed;

		private final Selector selector;

		private final AtomicLongArray sentAt;

		private final Latencies latencies;

		private final int messages;

		private volatile long delivered;

		private long duplicates;

		private volatile boolean stopped;

		private final CountDownLatch done = new CountDownLatch(1);

		Reader(int connections, int messagesPerWindow, int messages, AtomicLongArray sentAt, CountDownLatch subscribed)
				throws IOException {
			this.subscribed = subscribed;
			this.selector = Selector.open();
			this.messages = messages;
			this.sentAt = sentAt;
			this.latencies = new Latencies(connections, messagesPerWindow, messages);
		}

		/** Opens one stream; called before the reader runs. */
		void connect(URI base, byte[] request) throws IOException {
			SocketChannel channel = SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
			channel.write(ByteBuffer.wrap(request));
			channel.configureBlocking(false);
			channel.register(this.selector, SelectionKey.OP_READ, new Connection(this.messages));
		}

		long delivered() {
			return this.delivered;
		}

		void stop() throws InterruptedException {
			this.stopped = true;
			this.selector.wakeup();
			this.done.await(10, TimeUnit.SECONDS);
		}

		@Override
		public void run() {
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			try {
				while (!this.stopped) {
					this.selector.select(1000);
					long now = System.nanoTime();
					for (SelectionKey key : this.selector.selectedKeys()) {
						buffer.clear();
						if (((SocketChannel) key.channel()).read(buffer) < 0) {
							key.cancel();
							continue;
						}
						onBytes((Connection) key.attachment(), buffer.flip(), now);
					}
					this.selector.selectedKeys().clear();
				}
			}
			catch (IOException ex) {
				System.err.println("Reading the streams failed: " + ex);
			}
			finally {
				this.done.countDown();
			}
		}

		private void onBytes(Connection connection, ByteBuffer bytes, long now) {
			connection.append(bytes);
			byte[] data = connection.data;
			int eventStart = 0;
			for (int end = indexOf(data, 0, connection.length, EVENT_END); end >= 0; end = indexOf(data, eventStart,
					connection.length, EVENT_END)) {
				onEvent(connection, data, eventStart, end, now);
				eventStart = end + EVENT_END.length;
			}
			connection.consume(eventStart);
		}

		private void onEvent(Connection connection, byte[] data, int from, int to, long now) {
			if (!connection.greeted && indexOf(data, from, to, GREETING) >= 0) {
				connection.greeted = true;
				this.subscribed.countDown();
			}
			int marker = indexOf(data, from, to, SEQUENCE);
			if (marker < 0) {
				return;
			}
			int index = 0;
			for (int i = marker + SEQUENCE.length; i < to && data[i] >= '0' && data[i] <= '9'; i++) {
				index = index * 10 + (data[i] - '0');
			}
			if (index >= this.messages) {
				return;
			}
			if (connection.received.get(index)) {
				this.duplicates++;
				return;
			}
			connection.received.set(index);
			this.latencies.record(index, now - this.sentAt.get(index));
			this.delivered++;
		}

		private static int indexOf(byte[] data, int from, int to, byte[] needle) {
			outer: for (int i = from; i <= to - needle.length; i++) {
				for (int j = 0; j < needle.length; j++) {
					if (data[i + j] != needle[j]) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}

	}

	/**
	 * Every delivery's latency, kept per window of messages so the warm-up shows; written
	 * by its reader's thread only.
	 */
	private static final class Latencies {

		private final long[][] windows;

		private final int[] counts;

		private final int messagesPerWindow;

		Latencies(int subscribers, int messagesPerWindow, int messages) {
			this.messagesPerWindow = messagesPerWindow;
			int windowCount = (messages + messagesPerWindow - 1) / messagesPerWindow;
			this.windows = new long[windowCount][];
			for (int i = 0; i < windowCount; i++) {
				this.windows[i] = new long[subscribers * Math.min(messagesPerWindow, messages - i * messagesPerWindow)];
			}
			this.counts = new int[windowCount];
		}

		void record(int message, long nanos) {
			int window = message / this.messagesPerWindow;
			this.windows[window][this.counts[window]++] = nanos;
		}

		int windows() {
			return this.windows.length;
		}

		long[] window(int window) {
			return Arrays.copyOf(this.windows[window], this.counts[window]);
		}

	}

	/**
	 * What one connection has received so far: its message numbers and an unfinished
	 * event.
	 */
	private static final class Connection {

		private final BitSet received;

		private byte[] data = new byte[4096];

		private int length;

		private boolean greeted;

		Connection(int messages) {
			this.received = new BitSet(messages);
		}

		void append(ByteBuffer bytes) {
			int needed = this.length + bytes.remaining();
			if (needed > this.data.length) {
				this.data = Arrays.copyOf(this.data, Math.max(needed, this.data.length * 2));
			}
			bytes.get(this.data, this.length, bytes.remaining());
			this.length = needed;
		}

		void consume(int count) {
			System.arraycopy(this.data, count, this.data, 0, this.length - count);
			this.length -= count;
		}

	}

}
