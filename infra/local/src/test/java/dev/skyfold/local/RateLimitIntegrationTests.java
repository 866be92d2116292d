package dev.skyfold.local;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.json;
import static dev.skyfold.local.LocalApi.text;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * Per-caller rate limits on the local app, with small limits: a caller writing in a tight
 * loop gets 429 problems with {@code Retry-After}, nothing of what was refused is stored,
 * and after the wait it may write again; other callers are not affected.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "skyfold.security.rate-limits.posts.per-second=1",
				"skyfold.security.rate-limits.posts.burst=3", "skyfold.security.rate-limits.uploads.per-second=1",
				"skyfold.security.rate-limits.uploads.burst=2" })
class RateLimitIntegrationTests {

	private static final Path WORK = createWorkFolder();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", () -> WORK.toString());
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void answersPostsOverTheLimitWith429AndStoresExactlyTheAcceptedOnes() throws InterruptedException {
		LocalApi member = LocalApi.as(this.port, "test-member");
		int accepted = 0;
		HttpResponse<byte[]> limited = null;
		for (int i = 0; i < 15; i++) {
			HttpResponse<byte[]> response = member.postJson("postMessage",
					"{\"room\":\"limits\",\"text\":\"message " + i + "\"}");
			if (response.statusCode() == 200) {
				accepted++;
			}
			else if (response.statusCode() == 429) {
				limited = response;
			}
			else {
				fail("postMessage answered " + response.statusCode() + ": " + text(response));
			}
		}

		assertThat(limited).as("a post over the limit").isNotNull();
		JsonNode problem = assertProblem(limited, 429);
		assertThat(problem.path("detail").asString()).contains("test-member")
			.contains("skyfold.security.rate-limits.posts");
		long retryAfter = Long.parseLong(limited.headers().firstValue("Retry-After").orElseThrow());
		assertThat(retryAfter).isBetween(1L, 5L);
		assertThat(accepted).isBetween(3, 14);
		assertThat(history("limits")).as("stored messages, one per 2xx answer").hasSize(accepted);

		Thread.sleep(retryAfter * 1000);
		assertThat(member.postJson("postMessage", "{\"room\":\"limits\",\"text\":\"after the wait\"}").statusCode())
			.isEqualTo(200);
		assertThat(history("limits")).hasSize(accepted + 1);
	}

	@Test
	void limitsEachCallerOnItsOwn() {
		LocalApi admin = new LocalApi(this.port);
		LocalApi member = LocalApi.as(this.port, "test-member");
		for (int i = 0; i < 6; i++) {
			member.postJson("postMessage", "{\"room\":\"others\",\"text\":\"filler " + i + "\"}");
		}

		assertThat(admin.postJson("postMessage", "{\"room\":\"others\",\"text\":\"mine\"}").statusCode())
			.as("another caller's bucket is full")
			.isEqualTo(200);
	}

	@Test
	void answersUploadsOverTheLimitWith429AndStoresNothingOfThem() {
		LocalApi member = LocalApi.as(this.port, "test-member");
		int accepted = 0;
		int limited = 0;
		for (int i = 0; i < 6; i++) {
			HttpResponse<byte[]> response = member.put("limited/photo-" + i + ".png", TestImages.pngWithAlpha(16, 16),
					"image/png");
			if (response.statusCode() == 201) {
				accepted++;
			}
			else {
				assertProblem(response, 429);
				limited++;
			}
		}

		assertThat(limited).isPositive();
		assertThat(member.keysUnder("limited/")).hasSize(accepted);
	}

	private List<JsonNode> history(String room) {
		HttpResponse<byte[]> response = new LocalApi(this.port).postJson("messageHistory",
				"{\"room\":\"" + room + "\"}");
		return json(response).path("messages").values().stream().toList();
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-rate-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
