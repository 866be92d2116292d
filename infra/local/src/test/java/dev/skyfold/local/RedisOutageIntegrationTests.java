package dev.skyfold.local;

import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

import dev.skyfold.local.ScaleOutIntegrationTests.EventStream;
import dev.skyfold.local.ScaleOutIntegrationTests.SseEvent;
import dev.skyfold.testsupport.loopback.PostgresServer;
import dev.skyfold.testsupport.loopback.RedisServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Scale-out while Redis is down: two instances with the {@code redis} profile keep
 * answering posts in normal time and delivering them live on their own instance; once
 * Redis is back, each relays what the other's streams missed, and each stream is told to
 * catch up from the history, so no message of the outage is silently skipped, and none is
 * delivered twice. Needs Debian's {@code postgresql} and {@code redis-server}.
 */
class RedisOutageIntegrationTests {

	private static final Duration WAIT = Duration.ofSeconds(20);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * Posts answered in normal time: well under Redis's 1 s deadline, let alone the old
	 * 60 s.
	 */
	private static final Duration QUICK = Duration.ofSeconds(1);

	@RegisterExtension
	@Order(1)
	static final PostgresServer postgres = new PostgresServer();

	@RegisterExtension
	@Order(2)
	static final RedisServer redis = new RedisServer();

	@TempDir
	static Path work;

	private static ScaleOutInstances instances;

	private static int portA;

	private static int portB;

	@BeforeAll
	static void startTwoInstances() {
		instances = new ScaleOutInstances(postgres, redis, postgres.createDatabase("outage"));
		portA = instances.start(work.resolve("a"));
		portB = instances.start(work.resolve("b"));
	}

	@AfterAll
	static void stopInstances() {
		instances.close();
	}

	@Test
	void answersPostsWhileRedisIsDownAndDeliversEveryMessageOnceItIsBack() throws Exception {
		String room = "outage-" + UUID.randomUUID().toString().substring(0, 8);
		LocalApi a = LocalApi.as(portA, "test-member");
		LocalApi b = LocalApi.as(portB, "test-member");
		try (EventStream onA = EventStream.open(portA, room); EventStream onB = EventStream.open(portB, room)) {
			String before = post(a, room, "before the outage");
			onA.awaitEvents(1, WAIT);
			onB.awaitEvents(1, WAIT);

			redis.stopProcess();
			List<String> fromA = new ArrayList<>();
			List<String> fromB = new ArrayList<>();
			Duration slowest = Duration.ZERO;
			for (int i = 0; i < 8; i++) {
				long started = System.nanoTime();
				fromA.add(post(a, room, "A during the outage " + i));
				fromB.add(post(b, room, "B during the outage " + i));
				Duration took = Duration.ofNanos((System.nanoTime() - started) / 2);
				slowest = (took.compareTo(slowest) > 0) ? took : slowest;
			}
			assertThat(slowest).as("the slowest post while Redis was down").isLessThan(QUICK);
			for (String probe : List.of("liveness", "readiness")) {
				long started = System.nanoTime();
				HttpResponse<byte[]> answer = LocalApi.anonymous(portA).getRaw("/actuator/health/" + probe);
				assertThat(answer.statusCode()).as("the %s probe", probe).isEqualTo(200);
				assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the %s probe", probe).isLessThan(QUICK);
			}
			long started = System.nanoTime();
			HttpResponse<byte[]> health = new LocalApi(portA).getRaw("/actuator/health");
			assertThat(Duration.ofNanos(System.nanoTime() - started)).as("the health check").isLessThan(QUICK);
			assertThat(health.statusCode()).isEqualTo(503);
			assertThat(LocalApi.json(health).path("components").path("redis").path("status").asString())
				.isEqualTo("DOWN");
			assertThat(LocalApi.json(health).path("components").path("db").path("status").asString()).isEqualTo("UP");

			// Each instance's own streams have its posts live, while Redis is still down.
			awaitMessages(onA, withIds(before, fromA));
			awaitMessages(onB, withIds(before, fromB));

			redis.restartProcess();

			List<String> all = withIds(before, fromA, fromB);
			awaitMessages(onA, all);
			awaitMessages(onB, all);
			for (EventStream stream : List.of(onA, onB)) {
				assertThat(stream.events()).filteredOn((event) -> event.name().equals("message"))
					.extracting(SseEvent::id)
					.as("messages on %s, each once", stream)
					.doesNotHaveDuplicates()
					.containsExactlyInAnyOrderElementsOf(all);
				assertThat(stream.events()).filteredOn((event) -> event.name().equals("resync"))
					.as("the signal to catch up from the history on %s", stream)
					.isNotEmpty()
					.allSatisfy(
							(event) -> assertThat(JSON.readTree(event.data()).path("since").asString()).isNotBlank());
			}

			String after = post(b, room, "after the outage");
			awaitMessages(onA, withIds(after, all));
		}
	}

	private static List<String> withIds(Object... idsAndLists) {
		Set<String> ids = new LinkedHashSet<>();
		for (Object item : idsAndLists) {
			if (item instanceof List<?> list) {
				list.forEach((id) -> ids.add((String) id));
			}
			else {
				ids.add((String) item);
			}
		}
		return List.copyOf(ids);
	}

	private static void awaitMessages(EventStream stream, List<String> ids) throws InterruptedException {
		long deadline = System.nanoTime() + WAIT.toNanos();
		while (System.nanoTime() < deadline && !messageIds(stream).containsAll(ids)) {
			Thread.sleep(20);
		}
		assertThat(messageIds(stream)).as("messages on %s within %s", stream, WAIT).containsAll(ids);
	}

	private static List<String> messageIds(EventStream stream) {
		return stream.events().stream().filter((event) -> event.name().equals("message")).map(SseEvent::id).toList();
	}

	private static String post(LocalApi api, String room, String text) {
		HttpResponse<byte[]> response = api.postJson("postMessage",
				"{\"room\":\"" + room + "\",\"text\":\"" + text + "\"}");
		assertThat(response.statusCode()).as("postMessage: %s", LocalApi.text(response)).isEqualTo(200);
		return LocalApi.json(response).path("id").asString();
	}

}
