package dev.skyfold.local;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.stream.Collectors;

import dev.skyfold.testsupport.loopback.ZipkinServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What an operator sees of the local app. An upload and its resize are one trace: the W3C
 * {@code traceparent} a client sends is continued by the request and by
 * {@code resizeImage}, whose spans reach a real Zipkin under the client's trace id, and
 * whose log lines carry that id. And {@code /actuator/prometheus} carries the meters
 * every host records, under the names the cores and the kernel define.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"logging.structured.format.console=ecs", "management.opentelemetry.tracing.export.schedule-delay=100ms" })
class ObservabilityIntegrationTests {

	@RegisterExtension
	static final ZipkinServer zipkin = new ZipkinServer();

	private static final Path WORK = createWorkFolder();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final SecureRandom RANDOM = new SecureRandom();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void settings(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", WORK::toString);
		registry.add("management.tracing.export.zipkin.endpoint", zipkin::spansEndpoint);
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void continuesTheClientsTraceThroughTheUploadAndItsResizeIntoZipkinAndTheLogs(CapturedOutput output)
			throws Exception {
		String traceId = hex(16);
		String clientSpanId = hex(8);
		LocalApi api = new LocalApi(this.port);
		HttpResponse<byte[]> upload = api.send(api.request(LocalApi.objectPath("uploads/traced.png"))
			.header("traceparent", "00-" + traceId + "-" + clientSpanId + "-01")
			.header("Content-Type", "image/png")
			.PUT(BodyPublishers.ofByteArray(TestImages.pngWithAlpha(64, 48))));
		assertThat(upload.statusCode()).isEqualTo(201);

		List<JsonNode> spans = awaitSpans(traceId,
				(names) -> names.stream().anyMatch((name) -> name.contains("resizeimage")));
		Map<String, JsonNode> byName = spans.stream()
			.collect(Collectors.toMap((span) -> span.path("name").asString(), (span) -> span, (a, b) -> a));
		JsonNode request = spans.stream()
			.filter((span) -> clientSpanId.equals(span.path("parentId").asString()))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span continues the client's span: " + byName.keySet()));
		assertThat(request.path("kind").asString()).isEqualTo("SERVER");
		assertThat(request.path("tags").path("http.url").asString() + request.path("tags").path("uri").asString())
			.contains("/objects/");
		JsonNode resize = spans.stream()
			.filter((span) -> span.path("name").asString().contains("resizeimage"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span of resizeImage: " + byName.keySet()));
		assertThat(ancestors(resize, spans)).as("resizeImage runs within the upload's request")
			.contains(request.path("id").asString());

		List<JsonNode> resizeLogs = output.getOut()
			.lines()
			.filter((line) -> line.startsWith("{") && line.contains("Resized uploads/traced.png"))
			.map(JSON::readTree)
			.toList();
		assertThat(resizeLogs).as("the resize's log line").hasSize(1);
		assertThat(resizeLogs.get(0).path("traceId").asString()).isEqualTo(traceId);
		assertThat(spans.stream().map((span) -> span.path("id").asString()))
			.contains(resizeLogs.get(0).path("spanId").asString());
	}

	@Test
	void followsAPostIntoItsStoreAndItsBroadcastInOneTrace() throws Exception {
		String traceId = hex(16);
		LocalApi api = new LocalApi(this.port);
		HttpResponse<byte[]> posted = api.send(api.request("/fn/postMessage")
			.header("traceparent", "00-" + traceId + "-" + hex(8) + "-01")
			.header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"room\":\"traced\",\"text\":\"where did the time go?\"}")));
		assertThat(posted.statusCode()).isEqualTo(200);

		// The request's own span ends after its answer is sent, so it may reach Zipkin
		// last.
		List<JsonNode> spans = awaitSpans(traceId, (names) -> names.contains("chat-store save")
				&& names.stream().anyMatch((name) -> name.contains("postmessage")));
		JsonNode function = spans.stream()
			.filter((span) -> span.path("name").asString().contains("postmessage"))
			.findFirst()
			.orElseThrow(() -> new AssertionError("no span of postMessage: " + names(spans)));
		JsonNode store = spans.stream()
			.filter((span) -> span.path("name").asString().equals("chat-store save"))
			.findFirst()
			.orElseThrow();
		assertThat(ancestors(store, spans)).as("the store's call within postMessage")
			.contains(function.path("id").asString());
		assertThat(store.path("tags").path("dependency").asString()).isEqualTo("chat-store");
	}

	@Test
	void exportsTheMetersEveryHostRecordsToPrometheus() {
		LocalApi admin = new LocalApi(this.port);
		assertThat(admin.put("uploads/metered.png", TestImages.pngWithAlpha(64, 48), "image/png").statusCode())
			.isEqualTo(201);
		assertThat(
				admin.postJson("resizeImage", "{\"bucket\":\"skyfold\",\"key\":\"uploads/metered.png\"}").statusCode())
			.isEqualTo(200);
		assertThat(admin.postJson("resizeImage", "{\"bucket\":\"skyfold\"}").statusCode()).isEqualTo(400);
		assertThat(admin.postJson("postMessage", "{\"room\":\"metered\",\"text\":\"counted\"}").statusCode())
			.isEqualTo(200);

		String scraped = new String(admin.getRaw("/actuator/prometheus").body(), StandardCharsets.UTF_8);
		assertThat(sample(scraped, "skyfold_thumbnails_written_total")).isGreaterThanOrEqualTo(2);
		assertThat(sample(scraped, "skyfold_thumbnails_written_bytes_total")).isGreaterThan(100);
		assertThat(sample(scraped, "skyfold_chat_messages_stored_total")).isGreaterThanOrEqualTo(1);
		assertThat(sample(scraped, "skyfold_function_invocations_total{function=\"resizeImage\""))
			.isGreaterThanOrEqualTo(3);
		assertThat(sample(scraped, "skyfold_function_errors_total{function=\"resizeImage\"")).isGreaterThanOrEqualTo(1);
		assertThat(sample(scraped, "skyfold_function_duration_seconds_count{function=\"postMessage\""))
			.isGreaterThanOrEqualTo(1);
		assertThat(sample(scraped, "skyfold_function_cold_starts_total{function=\"resizeImage\"")).isEqualTo(1);
	}

	/** The value of the first sample whose name and labels start as given. */
	private static double sample(String scraped, String start) {
		return scraped.lines()
			.filter((line) -> line.startsWith(start))
			.findFirst()
			.map((line) -> Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1)))
			.orElseThrow(() -> new AssertionError("no sample " + start + " in:\n"
					+ scraped.lines().filter((line) -> line.startsWith("skyfold_")).collect(Collectors.joining("\n"))));
	}

	private static List<JsonNode> awaitSpans(String traceId, Predicate<List<String>> complete) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		List<JsonNode> spans = List.of();
		while (System.nanoTime() < deadline) {
			HttpResponse<String> answer = zipkin.trace(traceId);
			if (answer.statusCode() == 200) {
				spans = JSON.readTree(answer.body()).valueStream().toList();
				if (complete.test(names(spans))) {
					return spans;
				}
			}
			Thread.sleep(200);
		}
		return spans;
	}

	private static List<String> names(List<JsonNode> spans) {
		return spans.stream().map((span) -> span.path("name").asString()).toList();
	}

	private static List<String> ancestors(JsonNode span, List<JsonNode> spans) {
		Map<String, String> parents = spans.stream()
			.filter((each) -> each.has("parentId"))
			.collect(Collectors.toMap((each) -> each.path("id").asString(), (each) -> each.path("parentId").asString(),
					(a, b) -> a));
		List<String> chain = new java.util.ArrayList<>();
		String parent = parents.get(span.path("id").asString());
		while (parent != null && chain.size() < spans.size()) {
			chain.add(parent);
			parent = parents.get(parent);
		}
		return chain;
	}

	private static String hex(int bytes) {
		byte[] random = new byte[bytes];
		RANDOM.nextBytes(random);
		return HexFormat.of().formatHex(random);
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-tracing-it-");
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
