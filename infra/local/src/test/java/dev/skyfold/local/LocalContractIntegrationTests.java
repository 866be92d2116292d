package dev.skyfold.local;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.ChatFunctionContract;
import dev.skyfold.testsupport.contract.ChatHost;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.ImageFunctionContract;
import dev.skyfold.testsupport.contract.ImageHost;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Nested;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

/**
 * The functions' contract on the local app, over HTTP on loopback as its users call it:
 * {@code POST /fn/<name>} with the embedded issuer's tokens, the bucket the app's store
 * serves, and the room's live stream as its subscribers.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class LocalContractIntegrationTests extends ChatFunctionContract {

	private static final Path WORK = createWorkFolder();

	private static final String BUCKET = "skyfold";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final List<InputStream> STREAMS = Collections.synchronizedList(new ArrayList<>());

	@LocalServerPort
	private int port;

	@Autowired
	private BlobStore store;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", () -> WORK.resolve("data").toString());
	}

	@AfterAll
	static void closeStreamsAndDeleteWork() throws IOException {
		synchronized (STREAMS) {
			for (InputStream stream : STREAMS) {
				stream.close();
			}
		}
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Override
	protected ChatHost chatHost() {
		Map<String, List<String>> pushed = new ConcurrentHashMap<>();
		return new ChatHost() {

			@Override
			public Host host() {
				return Host.LOCAL;
			}

			@Override
			public String author(Caller caller) {
				return client(caller);
			}

			@Override
			public Answer postMessage(Caller caller, String body, String contentType) {
				return answer(api(caller).post("postMessage", body.getBytes(StandardCharsets.UTF_8), contentType));
			}

			@Override
			public Answer messageHistory(Caller caller, HistoryQuery query) {
				ObjectNode body = JsonNodeFactory.instance.objectNode().put("room", query.room());
				putIfPresent(body, "before", query.before());
				putIfPresent(body, "beforeId", query.beforeId());
				if (query.limit() != null) {
					body.put("limit", Integer.parseInt(query.limit()));
				}
				return answer(api(caller).postJson("messageHistory", body.toString()));
			}

			@Override
			public Answer broadcastMessage(Caller caller, JsonNode message) {
				return answer(api(caller).postJson("broadcastMessage", message.toString()));
			}

			@Override
			public void listen(String room) {
				List<String> texts = pushed.computeIfAbsent(room,
						(name) -> Collections.synchronizedList(new ArrayList<>()));
				openStream(room, texts);
			}

			@Override
			public List<String> pushed(String room) {
				return List.copyOf(pushed.getOrDefault(room, List.of()));
			}

		};
	}

	/** The image functions' contract on the same app. */
	@Nested
	class Images extends ImageFunctionContract {

		@Override
		protected ImageHost imageHost() {
			return new ImageHost() {

				@Override
				public Host host() {
					return Host.LOCAL;
				}

				@Override
				public void putObject(String key, byte[] content, String contentType) {
					// Into the app's store, not through PUT /objects, which would resize
					// it at once.
					LocalContractIntegrationTests.this.store.write(BUCKET, key, content, contentType);
				}

				@Override
				public Optional<byte[]> object(String key) {
					return LocalContractIntegrationTests.this.store.read(BUCKET, key, 50_000_000).map(Blob::content);
				}

				@Override
				public Answer thumbnail(Caller caller, byte[] image) {
					HttpResponse<byte[]> response = api(caller).post("thumbnail", image, "application/octet-stream");
					Answer answer = answer(response);
					if (response.statusCode() != 200) {
						return answer;
					}
					return Answer.done(response.body(), JsonNodeFactory.instance.objectNode()
						.put("contentType", response.headers().firstValue("Content-Type").orElse(""))
						.put("width", Integer.parseInt(response.headers().firstValue("Image-Width").orElse("0")))
						.put("height", Integer.parseInt(response.headers().firstValue("Image-Height").orElse("0"))));
				}

				@Override
				public Answer resizeImage(Caller caller, String key) {
					String event = JsonNodeFactory.instance.objectNode()
						.put("bucket", BUCKET)
						.put("key", key)
						.toString();
					return answer(api(caller).postJson("resizeImage", event));
				}

			};
		}

	}

	private LocalApi api(Caller caller) {
		return switch (caller) {
			case ANONYMOUS -> LocalApi.anonymous(this.port);
			case FORGED -> LocalApi.withToken(this.port, forged(LocalApi.as(this.port, "test-member").authorization()));
			default -> LocalApi.as(this.port, client(caller));
		};
	}

	private static String client(Caller caller) {
		return switch (caller) {
			case VIEWER -> "test-viewer";
			case MEMBER -> "test-member";
			case ADMIN -> "test-admin";
			default -> throw new IllegalArgumentException("No client for " + caller);
		};
	}

	/** A token of the app's own issuer with one character of its signature changed. */
	private static String forged(String authorization) {
		String token = authorization.substring("Bearer ".length());
		int last = token.length() - 2;
		char changed = (token.charAt(last) == 'A') ? 'B' : 'A';
		return token.substring(0, last) + changed + token.charAt(last + 1);
	}

	private static Answer answer(HttpResponse<byte[]> response) {
		return Answer.http(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
				response.body());
	}

	private static void putIfPresent(ObjectNode body, String field, @Nullable String value) {
		if (value != null) {
			body.put(field, value);
		}
	}

	/** Opens the room's live stream as a viewer and collects the texts it delivers. */
	private void openStream(String room, List<String> texts) {
		LocalApi viewer = LocalApi.as(this.port, "test-viewer");
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/rooms/" + room + "/stream"))
			.header("Accept", "text/event-stream")
			.header("Authorization", viewer.authorization())
			.build();
		try {
			HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, BodyHandlers.ofInputStream());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("The stream of " + room + " answered " + response.statusCode());
			}
			STREAMS.add(response.body());
			Thread reader = new Thread(() -> read(response.body(), texts), "contract-stream-" + room);
			reader.setDaemon(true);
			reader.start();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void read(InputStream stream, List<String> texts) {
		try (BufferedReader lines = new BufferedReader(new InputStreamReader(stream, StandardCharsets.UTF_8))) {
			boolean message = false;
			for (String line = lines.readLine(); line != null; line = lines.readLine()) {
				if (line.startsWith("event:")) {
					message = line.equals("event: message");
				}
				else if (message && line.startsWith("data:")) {
					texts.add(JSON.readTree(line.substring("data:".length())).path("text").asString(""));
				}
			}
		}
		catch (IOException ex) {
			// The stream ends when the test closes it.
		}
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-local-contract-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
