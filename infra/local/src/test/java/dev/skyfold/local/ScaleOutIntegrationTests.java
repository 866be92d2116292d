package dev.skyfold.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.testsupport.loopback.PostgresServer;
import dev.skyfold.testsupport.loopback.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Scale-out: two instances of the local app with the {@code redis} profile, sharing one
 * real PostgreSQL store and one real Redis server, deliver a message posted on one to the
 * live streams of both, share the history and the {@code clientMessageId} de-duplication.
 * Needs Debian's {@code postgresql} and {@code redis-server}.
 */
class ScaleOutIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(10);

	/** Long enough for a duplicate to arrive: the streams flush every 20 ms. */
	private static final Duration QUIET = Duration.ofMillis(750);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	@Order(1)
	static final PostgresServer postgres = new PostgresServer();

	@RegisterExtension
	@Order(2)
	static final RedisServer redis = new RedisServer();

	@TempDir
	static Path work;

	private static ScaleOutInstances instances;

	private static LocalApi a;

	private static LocalApi b;

	private static int portA;

	private static int portB;

	@BeforeAll
	static void startTwoInstances() {
		instances = new ScaleOutInstances(postgres, redis, postgres.createDatabase("chat"));
		// Small enough to reach: the instances share one bucket per caller in Redis.
		String[] limits = { "--skyfold.security.rate-limits.posts.burst=6",
				"--skyfold.security.rate-limits.posts.per-second=1" };
		portA = instances.start(work.resolve("a"), limits);
		portB = instances.start(work.resolve("b"), limits);
		a = new LocalApi(portA);
		b = new LocalApi(portB);
	}

	@AfterAll
	static void stopInstances() {
		instances.close();
	}

	@Test
	void deliversMessagePostedOnOneInstanceToStreamsOfBothExactlyOnce() throws Exception {
		String room = uniqueRoom();
		try (EventStream onB = EventStream.open(portB, room); EventStream onA = EventStream.open(portA, room)) {
			JsonNode posted = post(a, room, "ada", "hello from A", UUID.randomUUID().toString());
			String id = posted.path("id").asString();

			for (EventStream stream : List.of(onB, onA)) {
				stream.awaitEvents(1, WAIT);
			}
			Thread.sleep(QUIET.toMillis());
			for (EventStream stream : List.of(onB, onA)) {
				assertThat(stream.events()).as("events on the stream of %s", stream).hasSize(1);
				SseEvent event = stream.events().get(0);
				assertThat(event.name()).isEqualTo("message");
				assertThat(event.id()).isEqualTo(id);
				JsonNode message = JSON.readTree(event.data());
				assertThat(message.path("id").asString()).isEqualTo(id);
				assertThat(message.path("room").asString()).isEqualTo(room);
				assertThat(message.path("author").asString()).as("the signed-in caller").isEqualTo("test-admin");
				assertThat(message.path("text").asString()).isEqualTo("hello from A");
				assertThat(message.path("createdAt").asString()).isEqualTo(posted.path("createdAt").asString());
			}
		}
	}

	@Test
	void choosesTheRedisRelaysLiveFeedOnEveryInstance() {
		assertThat(instances.contexts()).hasSize(2)
			.allSatisfy((instance) -> assertThat(instance.getBean(LiveFeed.class).name()).isEqualTo("redis"));
	}

	@Test
	void sharesHistoryBetweenInstances() {
		String room = uniqueRoom();
		JsonNode posted = post(a, room, "ada", "stored once, read anywhere", UUID.randomUUID().toString());

		List<JsonNode> history = history(b, room);
		assertThat(history).hasSize(1);
		assertThat(history.get(0).path("id").asString()).isEqualTo(posted.path("id").asString());
		assertThat(history.get(0).path("text").asString()).isEqualTo("stored once, read anywhere");
	}

	@Test
	void storesOneMessageWhenSameClientMessageIdIsPostedOnBothInstances() {
		String room = uniqueRoom();
		String clientMessageId = UUID.randomUUID().toString();
		JsonNode first = post(a, room, "ada", "sent twice", clientMessageId);
		JsonNode retried = post(b, room, "ada", "sent twice", clientMessageId);

		assertThat(retried.path("id").asString()).isEqualTo(first.path("id").asString());
		assertThat(history(a, room)).extracting((message) -> message.path("id").asString())
			.containsExactly(first.path("id").asString());
		assertThat(history(b, room)).extracting((message) -> message.path("id").asString())
			.containsExactly(first.path("id").asString());
	}

	@Test
	void sharesOnePostLimitPerCallerBetweenInstances() {
		String room = uniqueRoom();
		List<LocalApi> members = List.of(LocalApi.as(portA, "test-member"), LocalApi.as(portB, "test-member"));
		members.forEach(LocalApi::authorization);
		long started = System.nanoTime();
		int accepted = 0;
		for (int i = 0; i < 14; i++) {
			HttpResponse<byte[]> response = members.get(i % 2)
				.postJson("postMessage", "{\"room\":\"" + room + "\",\"text\":\"message " + i + "\"}");
			assertThat(response.statusCode()).as(LocalApi.text(response)).isIn(200, 429);
			accepted += (response.statusCode() == 200) ? 1 : 0;
		}
		long seconds = Duration.ofNanos(System.nanoTime() - started).toSeconds() + 1;

		// Apart, each instance would take its own burst of 6: 12 in all.
		assertThat(accepted).isBetween(6, (int) (6 + seconds));
		HttpResponse<byte[]> history = b.postJson("messageHistory", "{\"room\":\"" + room + "\"}");
		assertThat(LocalApi.json(history).path("messages")).as("one stored message per 2xx answer").hasSize(accepted);
	}

	private static JsonNode post(LocalApi api, String room, String author, String text, String clientMessageId) {
		ObjectNode body = JSON.createObjectNode()
			.put("room", room)
			.put("author", author)
			.put("text", text)
			.put("clientMessageId", clientMessageId);
		HttpResponse<byte[]> response = api.postJson("postMessage", body.toString());
		assertThat(response.statusCode()).as("postMessage: %s", LocalApi.text(response)).isEqualTo(200);
		return LocalApi.json(response);
	}

	private static List<JsonNode> history(LocalApi api, String room) {
		HttpResponse<byte[]> response = api.postJson("messageHistory",
				JSON.createObjectNode().put("room", room).toString());
		assertThat(response.statusCode()).as("messageHistory: %s", LocalApi.text(response)).isEqualTo(200);
		List<JsonNode> messages = new ArrayList<>();
		LocalApi.json(response).path("messages").values().forEach(messages::add);
		return messages;
	}

	private static String uniqueRoom() {
		return "scale-" + UUID.randomUUID().toString().substring(0, 8);
	}

	/** One Server-Sent Event: its name, id and data. */
	record SseEvent(String name, String id, String data) {
	}

	/**
	 * A room's stream read over a raw HTTP/1.0 connection (no chunking to undo) by a
	 * background thread, which collects its events.
	 */
	static final class EventStream implements AutoCloseable {

		private final int port;

		private final Socket socket;

		private final List<SseEvent> events = new CopyOnWriteArrayList<>();

		private final CountDownLatch subscribed = new CountDownLatch(1);

		private final StringBuffer head = new StringBuffer();

		private EventStream(int port, String room) throws IOException {
			this.port = port;
			this.socket = new Socket("127.0.0.1", port);
			OutputStream out = this.socket.getOutputStream();
			out.write(("GET /rooms/" + room + "/stream HTTP/1.0\r\nHost: 127.0.0.1:" + port
					+ "\r\nAccept: text/event-stream\r\nAuthorization: " + new LocalApi(port).authorization()
					+ "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			out.flush();
			Thread reader = new Thread(this::read, "sse-" + port + "-" + room);
			reader.setDaemon(true);
			reader.start();
		}

		/**
		 * Opens a stream and waits until the server says it is subscribed.
		 */
		static EventStream open(int port, String room) throws IOException, InterruptedException {
			EventStream stream = new EventStream(port, room);
			if (!stream.subscribed.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
				stream.close();
				fail("No ': subscribed' on " + stream + " within " + WAIT + "; received:\n" + stream.head);
			}
			return stream;
		}

		List<SseEvent> events() {
			return List.copyOf(this.events);
		}

		void awaitEvents(int count, Duration timeout) throws InterruptedException {
			long deadline = System.nanoTime() + timeout.toNanos();
			while (this.events.size() < count && System.nanoTime() < deadline) {
				Thread.sleep(10);
			}
			assertThat(this.events).as("events on %s within %s", this, timeout).hasSizeGreaterThanOrEqualTo(count);
		}

		private void read() {
			try (BufferedReader lines = new BufferedReader(
					new InputStreamReader(this.socket.getInputStream(), StandardCharsets.UTF_8))) {
				String line = lines.readLine();
				while (line != null && !line.isEmpty()) {
					this.head.append(line).append('\n');
					line = lines.readLine();
				}
				String name = "message";
				String id = "";
				StringBuilder data = null;
				for (line = lines.readLine(); line != null; line = lines.readLine()) {
					if (line.isEmpty()) {
						if (data != null) {
							this.events.add(new SseEvent(name, id, data.toString()));
						}
						name = "message";
						id = "";
						data = null;
					}
					else if (line.startsWith(":")) {
						if (line.equals(": subscribed")) {
							this.subscribed.countDown();
						}
					}
					else if (line.startsWith("event:")) {
						name = line.substring("event:".length()).strip();
					}
					else if (line.startsWith("id:")) {
						id = line.substring("id:".length()).strip();
					}
					else if (line.startsWith("data:")) {
						String value = line.substring("data:".length());
						value = value.startsWith(" ") ? value.substring(1) : value;
						data = (data != null) ? data.append('\n').append(value) : new StringBuilder(value);
					}
				}
			}
			catch (IOException ex) {
				// Closed by the test.
			}
		}

		@Override
		public void close() {
			try {
				this.socket.close();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

		@Override
		public String toString() {
			return "127.0.0.1:" + this.port;
		}

	}

}
