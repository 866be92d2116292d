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
 * and {@code Retry-After} instead of holding a request thread for the pool's 30 s, health
 * says which dependency is down in well under the old 30 s, the store's circuit breaker
 * then refuses posts without trying, and once PostgreSQL is back a probe finds it.
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
	void refusesPostsAtOnceAndReportsTheStoreDownWhilePostgresIsStoppedThenStoresAgainOnceItIsBack()
			throws InterruptedException {
		LocalApi api = new LocalApi(this.port);
		assertThat(api.postJson("postMessage", "{\"room\":\"outage\",\"text\":\"before\"}").statusCode())
			.isEqualTo(200);

		postgres.stopProcess();

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
		assertThat(healthTook).as("the health check, which took 30 s before").isLessThan(Duration.ofSeconds(1));

		// The store's circuit breaker opens after a few failures: refused without trying.
		HttpResponse<byte[]> last = refused;
		for (int i = 0; i < 5; i++) {
			last = api.postJson("postMessage", "{\"room\":\"outage\",\"text\":\"during " + i + "\"}");
			assertProblem(last, 503);
		}
		started = System.nanoTime();
		HttpResponse<byte[]> refusedAtOnce = api.postJson("postMessage", "{\"room\":\"outage\",\"text\":\"open\"}");
		Duration openTook = Duration.ofNanos(System.nanoTime() - started);
		assertThat(assertProblem(refusedAtOnce, 503).path("detail").asString()).contains("chat-store is unavailable")
			.contains("nothing was stored");
		assertThat(refusedAtOnce.headers().firstValue("Retry-After")).isPresent();
		assertThat(openTook).as("a refusal by the open breaker, without waiting for the pool")
			.isLessThan(Duration.ofMillis(300));
		JsonNode open = json(
				api.getRaw("/actuator/metrics/resilience4j.circuitbreaker.state?tag=name:chat-store&tag=state:open"));
		assertThat(open.path("measurements").path(0).path("value").asDouble()).as("the breaker's state metric")
			.isEqualTo(1.0);

		// Once PostgreSQL is back, a probe finds it and posts are stored again.
		postgres.restartProcess();
		HttpResponse<byte[]> stored = null;
		long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
		while (System.nanoTime() < deadline) {
			stored = api.postJson("postMessage", "{\"room\":\"outage\",\"text\":\"after\"}");
			if (stored.statusCode() == 200) {
				break;
			}
			Thread.sleep(250);
		}
		assertThat(stored).isNotNull();
		assertThat(stored.statusCode()).as(LocalApi.text(stored)).isEqualTo(200);
		JsonNode history = json(api.postJson("messageHistory", "{\"room\":\"outage\"}"));
		assertThat(history.path("messages").values()).extracting((message) -> message.path("text").asString())
			.as("nothing refused was stored")
			.containsExactly("before", "after");
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
