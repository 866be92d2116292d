package dev.skyfold.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.stream.Stream;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local app starting on a data folder a crash left behind: an upload stored without
 * its thumbnail (its object-created event died with the process) and a half-written
 * object in the staging folder. The app removes the leftover and writes the missing
 * thumbnail, on its own.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class CrashRecoveryIntegrationTests {

	private static final Path DATA = crashedDataFolder();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", DATA::toString);
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(DATA.getParent().toFile());
	}

	@Test
	void healsAnUploadThatNeverGotItsThumbnailAndRemovesHalfWrittenObjects() throws Exception {
		LocalApi api = new LocalApi(this.port);
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		HttpResponse<byte[]> thumbnail = api.get("resized/uploads/before the crash.png");
		while (thumbnail.statusCode() == 404 && System.nanoTime() < deadline) {
			Thread.sleep(100);
			thumbnail = api.get("resized/uploads/before the crash.png");
		}

		assertThat(thumbnail.statusCode()).as("the healed thumbnail").isEqualTo(200);
		assertThat(TestImages.decode(thumbnail.body()).getWidth()).isEqualTo(200);
		try (Stream<Path> staging = Files.list(DATA.resolve(".staging"))) {
			assertThat(staging).as("half-written objects left by the crash").isEmpty();
		}
		assertThat(api.keysUnder("")).containsExactly("resized/uploads/before the crash.png",
				"uploads/before the crash.png");
	}

	private static Path crashedDataFolder() {
		try {
			Path data = Files.createTempDirectory("skyfold-recovery-it-").resolve("data");
			new FileSystemBlobStore(data).write("skyfold", "uploads/before the crash.png",
					TestImages.pngWithAlpha(640, 480), "image/png");
			Files.write(Files.createDirectories(data.resolve(".staging")).resolve("object-4711.tmp"),
					new byte[64 * 1024]);
			return data;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
