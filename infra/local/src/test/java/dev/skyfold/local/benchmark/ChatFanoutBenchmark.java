package dev.skyfold.local.benchmark;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.BitSet;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Fan-out benchmark of the local app's chat: opens N Server-Sent Events subscribers on
 * one room, posts M messages per second through {@code POST /fn/postMessage} for a while,
 * and prints how many events were delivered, lost and duplicated, the end-to-end latency
 * (post sent → event received) p50/p99/max and the sustained rate. Run by
 * {@code chat-notifier/benchmark/run.sh} against a running app.
 * <p>
 * Usage: {@code ChatFanoutBenchmark BASE_URL SUBSCRIBERS MESSAGES_PER_SECOND SECONDS}.
 */
public final class ChatFanoutBenchmark {

	private static final Pattern SEQUENCE = Pattern.compile("\"text\":\"bench (\\d+)\"");

	private ChatFanoutBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		URI base = URI.create(args[0]);
		int subscribers = Integer.parseInt(args[1]);
		int rate = Integer.parseInt(args[2]);
		int seconds = Integer.parseInt(args[3]);
		int messages = rate * seconds;
		String room = "bench-" + Long.toString(System.nanoTime(), 36);
		HttpClient client = HttpClient.newBuilder()
			.connectTimeout(Duration.ofSeconds(10))
			.executor(Executors.newFixedThreadPool(4))
			.build();

		AtomicLongArray sentAt = new AtomicLongArray(messages);
		long[] latencies = new long[subscribers * messages];
		AtomicInteger latencyCount = new AtomicInteger();
		// Latency of the messages after the first 10 s too, once the JIT has warmed up.
		int warmUp = Math.min(messages / 2, rate * 10);
		long[] steadyLatencies = new long[subscribers * messages];
		AtomicInteger steadyCount = new AtomicInteger();
		AtomicLong duplicates = new AtomicLong();
		Subscribers all = new Subscribers(base, room, subscribers, messages, sentAt, latencies, latencyCount,
				duplicates);
		all.steady(warmUp, steadyLatencies, steadyCount);
		Thread reader = new Thread(all, "sse-reader");
		reader.setDaemon(true);
		reader.start();
		if (!all.subscribed.await(60, TimeUnit.SECONDS)) {
			System.out.printf("SUBSCRIBED %d of %d within 60 s; giving up%n", subscribers - all.subscribed.getCount(),
					subscribers);
			System.exit(1);
		}
		System.out.printf("SUBSCRIBERS %d ROOM %s RATE %d/s SECONDS %d%n", subscribers, room, rate, seconds);

		ScheduledExecutorService poster = Executors.newScheduledThreadPool(2);
		AtomicInteger next = new AtomicInteger();
		AtomicInteger postFailures = new AtomicInteger();
		CountDownLatch posted = new CountDownLatch(messages);
		long start = System.nanoTime();
		poster.scheduleAtFixedRate(() -> {
			int sequence = next.getAndIncrement();
			if (sequence >= messages) {
				return;
			}
			HttpRequest post = HttpRequest.newBuilder(base.resolve("/fn/postMessage"))
				.header("Content-Type", "application/json")
				.POST(HttpRequest.BodyPublishers
					.ofString("{\"room\":\"" + room + "\",\"author\":\"bench\",\"text\":\"bench " + sequence + "\"}"))
				.build();
			sentAt.set(sequence, System.nanoTime());
			CompletableFuture<HttpResponse<Void>> reply = client.sendAsync(post,
					HttpResponse.BodyHandlers.discarding());
			reply.whenComplete((response, failure) -> {
				if (failure != null || response.statusCode() != 200) {
					postFailures.incrementAndGet();
				}
				posted.countDown();
			});
		}, 0, 1_000_000_000L / rate, TimeUnit.NANOSECONDS);
		posted.await(seconds + 60L, TimeUnit.SECONDS);
		double postSeconds = (System.nanoTime() - start) / 1e9;
		poster.shutdownNow();
		// Let the last events arrive.
		long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
		while (System.nanoTime() < deadline && all.delivered() < (long) subscribers * messages) {
			Thread.sleep(50);
		}

		long expected = (long) subscribers * messages;
		long delivered = all.delivered();
		long[] sorted = Arrays.copyOf(latencies, latencyCount.get());
		Arrays.sort(sorted);
		System.out.printf(Locale.ROOT, "POSTED %d in %.2f s (%.1f messages/s), %d failed%n", messages, postSeconds,
				messages / postSeconds, postFailures.get());
		System.out.printf(Locale.ROOT, "DELIVERED %d of %d, LOST %d, DUPLICATED %d%n", delivered, expected,
				expected - delivered, duplicates.get());
		System.out.printf(Locale.ROOT, "LATENCY_MS p50 %.1f p99 %.1f max %.1f%n", percentile(sorted, 0.50),
				percentile(sorted, 0.99), percentile(sorted, 1.0));
		long[] steady = Arrays.copyOf(steadyLatencies, steadyCount.get());
		Arrays.sort(steady);
		System.out.printf(Locale.ROOT, "LATENCY_MS_AFTER_FIRST_%d_MESSAGES p50 %.1f p99 %.1f max %.1f%n", warmUp,
				percentile(steady, 0.50), percentile(steady, 0.99), percentile(steady, 1.0));
		System.out.printf(Locale.ROOT, "EVENTS_PER_S %.0f%n", delivered / postSeconds);
		System.exit(0);
	}

	private static double percentile(long[] sorted, double fraction) {
		if (sorted.length == 0) {
			return Double.NaN;
		}
		int index = (int) Math.min(sorted.length - 1, Math.ceil(fraction * sorted.length) - 1);
		return sorted[Math.max(0, index)] / 1e6;
	}

	/**
	 * Every SSE connection, read by one thread with a selector: the JDK's HttpClient
	 * spends more per small read than the server spends per event, and would measure
	 * itself.
	 */
	private static final class Subscribers implements Runnable {

		private final CountDownLatch subscribed;

		private final Selector selector;

		private final AtomicLongArray sentAt;

		private final long[] latencies;

		private final AtomicInteger latencyCount;

		private final AtomicLong duplicates;

		private final AtomicLong delivered = new AtomicLong();

		private final int messages;

		Subscribers(URI base, String room, int count, int messages, AtomicLongArray sentAt, long[] latencies,
				AtomicInteger latencyCount, AtomicLong duplicates) throws IOException {
			this.subscribed = new CountDownLatch(count);
			this.selector = Selector.open();
			this.messages = messages;
			this.sentAt = sentAt;
			this.latencies = latencies;
			this.latencyCount = latencyCount;
			this.duplicates = duplicates;
			byte[] request = ("GET /rooms/" + room + "/stream HTTP/1.0\r\nHost: " + base.getHost()
					+ "\r\nAccept: text/event-stream\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII);
			for (int i = 0; i < count; i++) {
				SocketChannel channel = SocketChannel.open(new InetSocketAddress(base.getHost(), base.getPort()));
				channel.write(ByteBuffer.wrap(request));
				channel.configureBlocking(false);
				channel.register(this.selector, SelectionKey.OP_READ, new Connection(messages));
			}
		}

		private int warmUp = Integer.MAX_VALUE;

		private long[] steadyLatencies = new long[0];

		private AtomicInteger steadyCount = new AtomicInteger();

		void steady(int warmUp, long[] latencies, AtomicInteger count) {
			this.warmUp = warmUp;
			this.steadyLatencies = latencies;
			this.steadyCount = count;
		}

		long delivered() {
			return this.delivered.get();
		}

		@Override
		public void run() {
			ByteBuffer buffer = ByteBuffer.allocate(64 * 1024);
			try {
				while (this.selector.isOpen()) {
					this.selector.select(1000);
					long now = System.nanoTime();
					for (SelectionKey key : this.selector.selectedKeys()) {
						buffer.clear();
						int read = ((SocketChannel) key.channel()).read(buffer);
						if (read < 0) {
							key.cancel();
							continue;
						}
						onBytes((Connection) key.attachment(),
								new String(buffer.array(), 0, read, StandardCharsets.UTF_8), now);
					}
					this.selector.selectedKeys().clear();
				}
			}
			catch (IOException ex) {
				System.err.println("Reading the streams failed: " + ex);
			}
		}

		private void onBytes(Connection connection, String text, long now) {
			connection.pending.append(text);
			if (!connection.greeted && connection.pending.indexOf(": subscribed") >= 0) {
				connection.greeted = true;
				this.subscribed.countDown();
			}
			int end = connection.pending.lastIndexOf("\n\n");
			if (end < 0) {
				return;
			}
			Matcher sequence = SEQUENCE.matcher(connection.pending.substring(0, end));
			while (sequence.find()) {
				int index = Integer.parseInt(sequence.group(1));
				if (index >= this.messages) {
					continue;
				}
				if (connection.received.get(index)) {
					this.duplicates.incrementAndGet();
					continue;
				}
				connection.received.set(index);
				this.delivered.incrementAndGet();
				long latency = now - this.sentAt.get(index);
				this.latencies[this.latencyCount.getAndIncrement()] = latency;
				if (index >= this.warmUp) {
					this.steadyLatencies[this.steadyCount.getAndIncrement()] = latency;
				}
			}
			connection.pending.delete(0, end + 2);
		}

	}

	/** What one connection has received so far. */
	private static final class Connection {

		private final BitSet received;

		private final StringBuilder pending = new StringBuilder();

		private boolean greeted;

		Connection(int messages) {
			this.received = new BitSet(messages);
		}

	}

}
