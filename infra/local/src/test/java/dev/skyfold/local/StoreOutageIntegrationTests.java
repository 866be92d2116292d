package dev.skyfold.local;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import dev.skyfold.testsupport.loopback.PostgresServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local app on PostgreSQL when PostgreSQL stops: posts are refused at once with a 503
 * and {@code Retry-After} instead of holding a request thread for the pool's 30 s, and
 * health says which dependency is down in well under the old 30 s.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class StoreOutageIntegrationTests {

	@RegisterExtension
	static final PostgresServer postgres = new PostgresServer();

	private static final Path WORK = createWorkFolder();

	private static String database;

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void store(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", WORK::toString);
		registry.add("spring.datasource.url", () -> postgres.jdbcUrl(database()));
		registry.add("spring.datasource.username", () -> PostgresServer.USER);
		registry.add("spring.datasource.password", () -> "");
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void refusesPostsAtOnceAndReportsTheStoreDownWhilePostgresIsStopped() {
		LocalApi api = new LocalApi(this.port);
		assertThat(api.postJson("postMessage", "{\"room\":\"outage\",\"text\":\"before\"}").statusCode())
			.isEqualTo(200);

		postgres.close();

		long started = System.nanoTime();
		HttpResponse<byte[]> refused = api.postJson("postMessage", "{\"room\":\"outage\",\"text\":\"during\"}");
		Duration postTook = Duration.ofNanos(System.nanoTime() - started);
		JsonNode problem = assertProblem(refused, 503);
		assertThat(problem.path("detail").asString()).contains("nothing was stored");
		assertThat(refused.headers().firstValue("Retry-After")).isPresent();
		assertThat(postTook).as("the refusal, which took the pool's 30 s before").isLessThan(Duration.ofSeconds(10));

		started = System.nanoTime();
		HttpResponse<byte[]> health = api.getRaw("/actuator/health");
		Duration healthTook = Duration.ofNanos(System.nanoTime() - started);
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(json(health).path("components").path("db").path("status").asString()).isEqualTo("DOWN");
		assertThat(healthTook).as("the health check, which took 30 s before").isLessThan(Duration.ofSeconds(10));
	}

	private static synchronized String database() {
		if (database == null) {
			database = postgres.createDatabase("outage");
		}
		return database;
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-outage-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
