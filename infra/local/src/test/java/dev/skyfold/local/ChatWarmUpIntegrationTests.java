package dev.skyfold.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.skyfold.kernel.FunctionMetrics;
import dev.skyfold.local.observability.DependencyObservations;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's warm-up at start: it runs before the app reports ready, posts its sample
 * messages through the post path and streams every one of them, in process and through
 * the app's own server, and leaves nothing behind: no stored message, no event on a
 * user's live stream, no post or request counted by the chat's, the functions' or the
 * server's meters.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "skyfold.local.warm-up.rounds=30" })
class ChatWarmUpIntegrationTests {

	private static final Path WORK = createWorkFolder();

	@LocalServerPort
	private int port;

	@Autowired
	@Qualifier("chatWarmUp")
	private ApplicationRunner warmUp;

	@Autowired
	private MeterRegistry meters;

	@Autowired
	private JdbcClient jdbc;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", WORK::toString);
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void warmsUpBeforeTheAppReportsReady() {
		JsonNode warmUp = json(new LocalApi(this.port).getRaw("/actuator/info")).path("chatWarmUp");

		assertThat(warmUp.path("outcome").asString()).isEqualTo("done");
		assertThat(warmUp.path("posted").asInt()).isEqualTo(30);
		assertThat(warmUp.path("streams").asInt()).isPositive();
		assertThat(warmUp.path("streamed").asInt()).as("messages every warm-up stream received").isEqualTo(30);
		assertThat(warmUp.path("loopbackStreams").asInt()).as("its streams through the app's own server").isPositive();
		assertThat(warmUp.path("loopbackRequests").asInt()).as("its history reads through the app's own server")
			.isEqualTo(30);
		assertThat(warmUp.path("readiness").asString()).isEqualTo("REFUSING_TRAFFIC");
	}

	@Test
	void leavesNoMessageEventOrCountedPostBehind() throws Exception {
		LocalApi member = LocalApi.as(this.port, "test-member");
		try (Socket stream = openStream(member, "before-warm-up")) {
			long served = requestsTimed();
			this.warmUp.run(new DefaultApplicationArguments());
			assertThat(requestsTimed()).as("requests timed while the warm-up sent its own").isEqualTo(served);
			assertThat(member
				.postJson("postMessage",
						"{\"room\":\"before-warm-up\",\"author\":\"ada\",\"text\":\"after the warm-up\"}")
				.statusCode()).isEqualTo(200);

			List<String> events = messageEventsUntil(stream.getInputStream(), "after the warm-up");
			assertThat(events).as("message events on a stream that was open during the warm-up").hasSize(1);
		}

		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM chat_message WHERE room LIKE 'skyfold-warm-up-%' OR author = ?")
			.param("skyfold-warm-up")
			.query(Long.class)
			.single()).as("warm-up messages stored").isZero();
		assertThat(this.jdbc.sql("SELECT COUNT(*) FROM chat_message").query(Long.class).single()).as("messages stored")
			.isEqualTo(1);
		assertThat(counter("skyfold.chat.messages.stored")).isEqualTo(1);
		assertThat(counter(FunctionMetrics.INVOCATIONS, FunctionMetrics.FUNCTION_TAG, "postMessage")).isEqualTo(1);
		assertThat(counter(FunctionMetrics.COLD_STARTS, FunctionMetrics.FUNCTION_TAG, "postMessage")).isEqualTo(1);
		assertThat(counter(FunctionMetrics.INVOCATIONS, FunctionMetrics.FUNCTION_TAG, "messageHistory"))
			.as("the warm-up's history reads, counted")
			.isZero();
		Timer saves = this.meters.find(DependencyObservations.NAME)
			.tag("dependency", "chat-store")
			.tag("operation", "save")
			.timer();
		assertThat(saves).isNotNull();
		assertThat(saves.count()).as("calls to the store that were timed").isEqualTo(1);
	}

	private long requestsTimed() {
		return this.meters.find("http.server.requests").timers().stream().mapToLong(Timer::count).sum();
	}

	private double counter(String name, String... tags) {
		Counter counter = this.meters.find(name).tags(tags).counter();
		return (counter != null) ? counter.count() : 0;
	}

	/** Opens a room's stream over HTTP/1.0 and waits for its greeting. */
	private Socket openStream(LocalApi caller, String room) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		socket.setSoTimeout(30_000);
		socket.getOutputStream()
			.write(("GET /rooms/" + room + "/stream HTTP/1.0\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nAccept: text/event-stream\r\nAuthorization: " + caller.authorization() + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		StringBuilder text = new StringBuilder();
		byte[] buffer = new byte[8192];
		while (text.indexOf(": subscribed\nretry: 2000\n\n") < 0) {
			int read = socket.getInputStream().read(buffer);
			if (read < 0) {
				throw new IOException("The stream ended before its greeting: " + text);
			}
			text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
		}
		return socket;
	}

	/**
	 * The message events that arrive until one holds the given text, that one included.
	 */
	private static List<String> messageEventsUntil(InputStream in, String lastText) throws IOException {
		List<String> events = new ArrayList<>();
		StringBuilder text = new StringBuilder();
		byte[] buffer = new byte[8192];
		while (true) {
			int read = in.read(buffer);
			if (read < 0) {
				throw new IOException("The stream ended after " + events);
			}
			text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
				String event = text.substring(0, end);
				text.delete(0, end + 2);
				if (event.startsWith("event: message")) {
					events.add(event);
					if (event.contains("\"text\":\"" + lastText + "\"")) {
						return events;
					}
				}
			}
		}
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-warm-up-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
