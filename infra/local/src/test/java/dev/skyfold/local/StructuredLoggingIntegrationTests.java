package dev.skyfold.local;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
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
 * With {@code logging.structured.format.console=ecs} every log line is one JSON object,
 * and a function's lines name the function, the key and the outcome.
 */
@ExtendWith(OutputCaptureExtension.class)
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "logging.structured.format.console=ecs" })
class StructuredLoggingIntegrationTests {

	private static final Path WORK = createWorkFolder();

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", () -> WORK.resolve("storage").toString());
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void logsEachResizeAsOneJsonObjectNamingFunctionKeyAndOutcome(CapturedOutput output) {
		LocalApi api = new LocalApi(this.port);
		api.put("uploads/logged photo.jpg", TestImages.photoJpeg(800, 600), "image/jpeg");
		api.put("uploads/notes.txt", "text".getBytes(), "text/plain");

		List<JsonNode> events = output.getOut()
			.lines()
			.filter((line) -> line.contains("\"function\":\"resizeImage\""))
			.map(JSON::readTree)
			.toList();

		assertThat(events).anySatisfy((event) -> {
			assertThat(event.path("key").asString()).isEqualTo("uploads/logged photo.jpg");
			assertThat(event.path("outcome").asString()).isEqualTo("resized");
			assertThat(event.path("log").path("level").asString()).isEqualTo("INFO");
		});
		assertThat(events).anySatisfy((event) -> {
			assertThat(event.path("key").asString()).isEqualTo("uploads/notes.txt");
			assertThat(event.path("outcome").asString()).isEqualTo("skipped");
		});
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-local-logging-");
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
