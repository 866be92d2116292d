package dev.skyfold.local;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local app's health reports the free space of its data folder, and goes DOWN while
 * less than the configured floor is free: here a floor no disk has.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "management.health.diskspace.threshold=1000TB" })
class DiskSpaceHealthIntegrationTests {

	private static final Path WORK = createWorkFolder();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", WORK::toString);
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void goesDownWhileTheDataFolderHasLessThanTheFloorFree() {
		HttpResponse<byte[]> health = new LocalApi(this.port).getRaw("/actuator/health");

		assertThat(health.statusCode()).isEqualTo(503);
		JsonNode disk = json(health).path("components").path("diskSpace");
		assertThat(disk.path("status").asString()).isEqualTo("DOWN");
		assertThat(disk.path("details").path("path").asString()).isEqualTo(WORK.toAbsolutePath().toString());
		assertThat(disk.path("details").path("free").asLong()).isPositive();
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-disk-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
