package dev.skyfold.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import org.springframework.util.FileSystemUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * What the local app acknowledges survives a crash: the packaged jar, on its embedded
 * chat store, is killed with SIGKILL at a random moment while several clients post, in
 * several rounds; after a restart every message answered 200 is stored, exactly once.
 */
class CrashDurabilityIntegrationTests {

	private static final Path JAR = Path.of("target", "skyfold-local-0.1.0-SNAPSHOT.jar");

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private static final int ROUNDS = 4;

	private static final int POSTERS = 4;

	private static Path work;

	@BeforeAll
	static void createWork() throws IOException {
		assertThat(JAR).as("the executable jar; build it with ./mvnw -pl infra/local package").isRegularFile();
		work = Files.createTempDirectory("skyfold-crash-it-");
	}

	@AfterAll
	static void deleteWork() {
		if (work != null) {
			FileSystemUtils.deleteRecursively(work.toFile());
		}
	}

	@Test
	void keepsEveryAcknowledgedMessageExactlyOnceAcrossKills() throws Exception {
		Set<String> acknowledged = ConcurrentHashMap.newKeySet();
		Random random = new Random();
		for (int round = 0; round < ROUNDS; round++) {
			int port = freePort();
			Process app = start(port, "round-" + round);
			try {
				LocalApi member = LocalApi.as(port, "test-member");
				member.authorization();
				AtomicBoolean running = new AtomicBoolean(true);
				List<Thread> posters = new ArrayList<>();
				for (int poster = 0; poster < POSTERS; poster++) {
					String prefix = "r" + round + "-p" + poster + "-";
					Thread thread = new Thread(() -> post(member, prefix, running, acknowledged), prefix + "poster");
					thread.start();
					posters.add(thread);
				}
				Thread.sleep(500 + random.nextInt(1500));
				// SIGKILL: the process gets no chance to flush or close anything.
				app.destroyForcibly();
				assertThat(app.waitFor(30, TimeUnit.SECONDS)).as("the app died").isTrue();
				running.set(false);
				for (Thread thread : posters) {
					thread.join(Duration.ofSeconds(70).toMillis());
				}
			}
			finally {
				app.destroyForcibly();
			}
		}
		// One more start recovers the store, then a clean stop closes it for the check.
		int port = freePort();
		Process app = start(port, "final");
		app.destroy();
		assertThat(app.waitFor(60, TimeUnit.SECONDS)).isTrue();

		Map<String, Integer> stored = storedTexts();
		assertThat(acknowledged).as("messages acknowledged over the rounds").hasSizeGreaterThan(ROUNDS * POSTERS);
		List<String> lost = acknowledged.stream().filter((text) -> !stored.containsKey(text)).sorted().toList();
		assertThat(lost).as("acknowledged messages missing after the kills (of %d)", acknowledged.size()).isEmpty();
		assertThat(stored.values()).as("every message stored once").allMatch((count) -> count == 1);
	}

	/** Posts until told to stop or the app is gone, noting each text answered 200. */
	private static void post(LocalApi member, String prefix, AtomicBoolean running, Set<String> acknowledged) {
		for (int n = 0; running.get(); n++) {
			String text = prefix + n;
			try {
				HttpResponse<byte[]> response = member.sendOrFail(member.request("/fn/postMessage")
					.header("Content-Type", "application/json")
					.POST(BodyPublishers.ofString(
							"{\"room\":\"crash\",\"text\":\"" + text + "\",\"clientMessageId\":\"" + text + "\"}")));
				if (response.statusCode() == 200) {
					acknowledged.add(text);
				}
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private static Process start(int port, String name) throws IOException, InterruptedException {
		String java = ProcessHandle.current().info().command().orElse("java");
		Path log = Path.of("target", "crash-it-" + name + ".log");
		Process app = new ProcessBuilder(java, "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(),
				"--server.address=127.0.0.1", "--server.port=" + port, "--skyfold.local.data=" + work.resolve("data"),
				"--skyfold.security.clients.test-member.secret={noop}member-secret",
				"--skyfold.security.clients.test-member.roles=member", "--skyfold.security.rate-limits.enabled=false")
			.directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(log.toFile())
			.start();
		LocalApi anonymous = LocalApi.anonymous(port);
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!app.isAlive()) {
				fail("The app exited with " + app.exitValue() + "; see " + log);
			}
			try {
				if (anonymous.sendOrFail(anonymous.request("/actuator/health").GET()).statusCode() == 200) {
					return app;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		app.destroyForcibly();
		throw new AssertionError("The app was not healthy within " + STARTUP + "; see " + log);
	}

	/** Each stored text of the room, with how many times it is stored. */
	private static Map<String, Integer> storedTexts() throws SQLException {
		Map<String, Integer> texts = new HashMap<>();
		String url = "jdbc:h2:file:" + work.resolve("data/.chat/messages") + ";ACCESS_MODE_DATA=r";
		try (Connection connection = DriverManager.getConnection(url, "sa", "");
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT body FROM chat_message WHERE room = 'crash'")) {
			while (rows.next()) {
				texts.merge(rows.getString(1), 1, Integer::sum);
			}
		}
		return texts;
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
