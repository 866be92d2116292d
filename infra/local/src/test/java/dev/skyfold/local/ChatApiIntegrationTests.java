package dev.skyfold.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.local.chat.RoomHub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat over HTTP on the running app: the functions' client errors as problem JSON,
 * history paged back from a message, the event format of a room's live stream, streams
 * whose client left being cleaned up by the heartbeat, and a client that stops reading
 * not holding up the others.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "skyfold.local.stream-heartbeat=200ms" })
class ChatApiIntegrationTests {

	private static final Path WORK = createWorkFolder();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@Autowired
	private RoomHub listeners;

	@Autowired
	private MessageStore store;

	private LocalApi api;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", () -> WORK.resolve("data").toString());
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@BeforeEach
	void connect() {
		this.api = new LocalApi(this.port);
	}

	/**
	 * Small socket send buffers, so a client that stops reading stalls its stream soon.
	 */
	@TestConfiguration(proxyBeanMethods = false)
	static class SmallSendBuffers {

		@Bean
		TomcatConnectorCustomizer smallSendBuffers() {
			return (connector) -> connector.setProperty("socket.txBufSize", "65536");
		}

	}

	@Test
	void answersInvalidMessagesWithProblemJsonAndStoresNothing() {
		assertProblem(post("postMessage", "{\"room\":\"Not A Room\",\"author\":\"ada\",\"text\":\"hi\"}"), 400);
		assertProblem(post("postMessage", "{\"room\":\"checks\",\"author\":\"ada\",\"text\":\"bell\\u0007\"}"), 400);
		assertProblem(
				post("postMessage", "{\"room\":\"checks\",\"author\":\"ada\",\"text\":\"" + "x".repeat(4001) + "\"}"),
				413);
		assertProblem(this.api.post("postMessage", "hello".getBytes(StandardCharsets.UTF_8), "text/plain"), 415);
		assertProblem(post("postMessage", "{\"room\":"), 400);

		assertThat(json(post("messageHistory", "{\"room\":\"checks\"}")).path("messages")).isEmpty();
	}

	@Test
	void refusesAJsonBodyOverItsCapWith413AndStoresNothing() {
		String padding = "x".repeat(2 * 1024 * 1024);
		HttpResponse<byte[]> response = post("postMessage",
				"{\"room\":\"capped\",\"text\":\"hi\",\"unknown\":\"" + padding + "\"}");

		assertThat(assertProblem(response, 413).path("detail").asString()).contains("skyfold.local.max-json-size");
		assertThat(json(post("messageHistory", "{\"room\":\"capped\"}")).path("messages")).isEmpty();
		assertThat(post("postMessage", "{\"room\":\"capped\",\"text\":\"small\",\"unknown\":\"ignored\"}").statusCode())
			.as("an unknown field is ignored, not stored")
			.isEqualTo(200);
	}

	@Test
	void answersAnotherMethodThanPostOnAFunctionWith405() {
		for (String method : List.of("GET", "PUT", "DELETE")) {
			HttpResponse<byte[]> response = this.api
				.send(this.api.request("/fn/postMessage").method(method, HttpRequest.BodyPublishers.noBody()));
			assertProblem(response, 405);
			assertThat(response.headers().firstValue("Allow")).as(method).hasValue("POST");
		}
		assertThat(json(post("messageHistory", "{\"room\":\"general\"}")).has("messages")).isTrue();
	}

	@Test
	void servesOnlyTheFunctionsNotTheServicesBehindThemNorOtherBeans() {
		String message = "{\"id\":\"forged\",\"room\":\"services\",\"author\":\"ada\",\"text\":\"hi\","
				+ "\"createdAt\":\"2026-03-01T12:00:00Z\"}";
		List<ChatMessage> delivered = new CopyOnWriteArrayList<>();
		try (RoomHub.Subscription subscription = this.listeners.subscribe("services", delivered::add)) {
			for (String name : List.of("chatService", "broadcastService", "imageResizer", "roomHub", "messageStore",
					"postMessage,broadcastService", "postMessage%7CchatService")) {
				assertThat(assertProblem(post(name, message), 404).path("detail").asString()).as(name)
					.startsWith("No function is named '")
					.doesNotContain("postMessage");
			}
			assertThat(json(post("messageHistory", "{\"room\":\"services\"}")).path("messages")).isEmpty();
			assertThat(delivered).isEmpty();
			assertThat(post("postMessage", message).statusCode()).isEqualTo(200);
			assertThat(delivered).extracting(ChatMessage::text).containsExactly("hi");
		}
	}

	@Test
	void answersUnknownRoomWithEmptyHistoryAndBadLimitWithProblem() {
		HttpResponse<byte[]> history = post("messageHistory", "{\"room\":\"nobody-ever-spoke-here\"}");

		assertThat(history.statusCode()).isEqualTo(200);
		assertThat(json(history).path("room").asString()).isEqualTo("nobody-ever-spoke-here");
		assertThat(json(history).path("messages").isArray()).isTrue();
		assertThat(json(history).path("messages")).isEmpty();
		assertProblem(post("messageHistory", "{\"room\":\"checks\",\"limit\":201}"), 400);
	}

	@Test
	void pagesHistoryBackFromAMessageWithBeforeAndBeforeId() {
		Instant instant = Instant.parse("2026-03-01T12:00:00.000001Z");
		this.store.save(new NewMessage("pages", "ada", "earlier", null), "pages-0", instant.minusSeconds(1));
		for (String id : List.of("pages-c", "pages-a", "pages-d", "pages-b")) {
			this.store.save(new NewMessage("pages", "ada", "same instant", null), id, instant);
		}

		JsonNode page = json(post("messageHistory",
				"{\"room\":\"pages\",\"before\":\"" + instant + "\",\"beforeId\":\"pages-c\",\"limit\":2}"));
		JsonNode fromInstant = json(
				post("messageHistory", "{\"room\":\"pages\",\"before\":\"" + instant + "\",\"limit\":2}"));

		assertThat(page.path("messages").valueStream().map((message) -> message.path("id").asString()))
			.containsExactly("pages-a", "pages-b");
		assertThat(fromInstant.path("messages").valueStream().map((message) -> message.path("id").asString()))
			.containsExactly("pages-0");
		JsonNode problem = assertProblem(post("messageHistory", "{\"room\":\"pages\",\"beforeId\":\"pages-c\"}"), 400);
		assertThat(problem.path("detail").asString()).contains("'beforeId' needs 'before'");
	}

	@Test
	void refusesStreamOfInvalidRoom() {
		assertProblem(this.api.getRaw("/rooms/Not%20A%20Room/stream"), 400);
	}

	@Test
	void streamsEachNewMessageAsOneEventWithItsIdAndJson() throws IOException {
		try (Socket socket = openStream("events")) {
			JsonNode stored = json(
					post("postMessage", "{\"room\":\"events\",\"author\":\"ada\",\"text\":\"line one\\nline two\"}"));

			String received = readUntil(socket.getInputStream(), "}\n\n");
			// The event alone: a heartbeat comment may follow it in the same read.
			String event = received.substring(received.indexOf("event: "));
			event = event.substring(0, event.indexOf("\n\n") + 2);

			assertThat(event).startsWith("event: message\nid: " + stored.path("id").asString() + "\ndata: {");
			JsonNode data = JSON.readTree(event.substring(event.indexOf("data: ") + "data: ".length()).strip());
			assertThat(data).isEqualTo(stored);
			assertThat(data.path("text").asString()).isEqualTo("line one\nline two");
		}
	}

	@Test
	void forgetsStreamsWhoseClientLeft() throws Exception {
		try (Socket socket = openStream("leavers")) {
			awaitListeners("leavers", 1);
		}
		// The next heartbeat's write fails and ends the stream.
		awaitListeners("leavers", 0);
	}

	@Test
	void keepsStreamsMovingPastAClientThatStopsReadingAndClosesItOnceFarBehind() throws Exception {
		int messages = 400;
		String text = "x".repeat(3990);
		try (Socket stalled = openStream("crowd", 4096)) {
			// Streams are shared out among the writers in turn, so one of these shares
			// the
			// stalled stream's writer, whatever the number of writers.
			int readers = Runtime.getRuntime().availableProcessors();
			ExecutorService reading = Executors.newFixedThreadPool(readers);
			List<Socket> sockets = new ArrayList<>();
			List<Future<Integer>> received = new ArrayList<>();
			try {
				for (int i = 0; i < readers; i++) {
					Socket socket = openStream("crowd");
					sockets.add(socket);
					received.add(reading.submit(() -> countEventsUntil(socket.getInputStream(), "last one")));
				}
				for (int i = 0; i < messages; i++) {
					assertThat(post("postMessage",
							"{\"room\":\"crowd\",\"author\":\"ada\",\"text\":\"" + text + " " + i + "\"}")
						.statusCode()).isEqualTo(200);
				}
				post("postMessage", "{\"room\":\"crowd\",\"author\":\"ada\",\"text\":\"last one\"}");

				// A reader stuck behind the stalled client would time out reading.
				for (Future<Integer> events : received) {
					assertThat(events.get(60, TimeUnit.SECONDS)).isEqualTo(messages + 1);
				}
			}
			finally {
				reading.shutdownNow();
				for (Socket socket : sockets) {
					socket.close();
				}
			}
			// The stalled stream gets what was under way, then the end, not everything.
			String backlog = readToEnd(stalled.getInputStream());
			assertThat(backlog).doesNotContain("last one");
		}
	}

	private HttpResponse<byte[]> post(String function, String json) {
		return this.api.post(function, json.getBytes(StandardCharsets.UTF_8), "application/json");
	}

	private Socket openStream(String room) throws IOException {
		return openStream(room, 0);
	}

	/**
	 * Opens a room's stream over HTTP/1.0 (no chunking) and waits for its greeting; a
	 * small receive buffer makes a client that stops reading stall the server soon.
	 */
	private Socket openStream(String room, int receiveBufferBytes) throws IOException {
		Socket socket = new Socket();
		if (receiveBufferBytes > 0) {
			socket.setReceiveBufferSize(receiveBufferBytes);
		}
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		socket.setSoTimeout(30_000);
		socket.getOutputStream()
			.write(("GET /rooms/" + room + "/stream HTTP/1.0\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nAccept: text/event-stream\r\nAuthorization: " + this.api.authorization() + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		readUntil(socket.getInputStream(), ": subscribed\nretry: 2000\n\n");
		return socket;
	}

	/** Reads until what arrived holds the given text; returns all that arrived. */
	private static String readUntil(InputStream in, String expected) throws IOException {
		StringBuilder text = new StringBuilder();
		byte[] buffer = new byte[8192];
		while (text.indexOf(expected) < 0) {
			int read = in.read(buffer);
			if (read < 0) {
				throw new IOException("The stream ended before '" + expected + "': " + text);
			}
			text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
		}
		return text.toString();
	}

	/** Counts message events until one holds the given text, which it counts too. */
	private static int countEventsUntil(InputStream in, String lastText) throws IOException {
		StringBuilder text = new StringBuilder();
		byte[] buffer = new byte[65536];
		int events = 0;
		while (true) {
			int read = in.read(buffer);
			if (read < 0) {
				throw new IOException("The stream ended after " + events + " events");
			}
			text.append(new String(buffer, 0, read, StandardCharsets.UTF_8));
			for (int end = text.indexOf("\n\n"); end >= 0; end = text.indexOf("\n\n")) {
				String event = text.substring(0, end);
				text.delete(0, end + 2);
				if (event.startsWith("event: message")) {
					events++;
					if (event.contains("\"text\":\"" + lastText + "\"")) {
						return events;
					}
				}
			}
		}
	}

	private static String readToEnd(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}

	private void awaitListeners(String room, int expected) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		while (this.listeners.listenerCount(room) != expected && System.nanoTime() < deadline) {
			Thread.sleep(50);
		}
		assertThat(this.listeners.listenerCount(room)).as("listeners of room %s", room).isEqualTo(expected);
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-local-chat-");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
