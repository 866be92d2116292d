package dev.skyfold.local;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.ServerSocket;

import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import dev.skyfold.testsupport.loopback.RequiredTools;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/**
 * The local app on a data disk that fills up. The packaged jar runs with its data folder
 * on a 48 MB tmpfs of its own, mounted in a private mount namespace (util-linux's
 * {@code unshare}, as root), which a shell in that namespace keeps while the app is
 * killed and started again on the same disk; the test reaches the disk through
 * {@code /proc/<pid>/root}, fills it, and checks:
 * <ul>
 * <li>below the floor ({@code management.health.diskspace.threshold}) uploads and posts
 * are a 507 problem and change nothing, and health is DOWN;</li>
 * <li>on a disk that is really full (floor 0), an upload is a 507 problem and leaves no
 * object, description or staging file, and a post is never acknowledged unless kept;</li>
 * <li>after SIGKILL and a restart, every message answered 200 is there, once.</li>
 * </ul>
 */
class DiskFullIntegrationTests {

	private static final Path JAR = Path.of("target", "skyfold-local-0.1.0-SNAPSHOT.jar");

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private static final String ROOM = "disk";

	private Path work;

	private Path data;

	private int port;

	private Process namespace;

	@BeforeEach
	void startInItsOwnDisk() throws IOException {
		assertThat(JAR).as("the executable jar; build it with ./mvnw -pl infra/local package").isRegularFile();
		this.work = Files.createTempDirectory("skyfold-disk-it-");
		this.data = Files.createDirectories(this.work.resolve("data"));
		this.port = freePort();
		String java = ProcessHandle.current().info().command().orElse("java");
		String app = String.join(" ", quoted(java), "-Xmx256m", "-jar", quoted(JAR.toAbsolutePath().toString()),
				"--server.address=127.0.0.1", "--server.port=" + this.port, "--skyfold.local.data=" + quoted(this.data),
				"--skyfold.security.clients.test-member.secret='{noop}member-secret'",
				"--skyfold.security.clients.test-member.roles=member",
				"--skyfold.security.clients.test-admin.secret='{noop}admin-secret'",
				"--skyfold.security.clients.test-admin.roles=admin", "--skyfold.security.rate-limits.enabled=false");
		// The app runs three times on the same disk: with the default floor of 8 MB here,
		// then twice with none, so that the disk can really fill up.
		String script = "mount -t tmpfs -o size=48m skyfold-disk-it " + quoted(this.data) + " || exit 97\n"
				+ "for floor in 8MB 0 0; do " + app + " --management.health.diskspace.threshold=$floor >> "
				+ quoted(this.work.resolve("app.log")) + " 2>&1; done\n";
		List<String> command = List.of("unshare", "--mount", "--propagation", "private", "sh", "-c", script);
		if (RequiredTools.onPath("unshare").isEmpty()) {
			throw RequiredTools.unavailable(getClass().getSimpleName(), "util-linux's unshare is missing");
		}
		this.namespace = new ProcessBuilder(command).directory(this.work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.work.resolve("namespace.log").toFile())
			.start();
	}

	@AfterEach
	void stop() throws Exception {
		if (this.namespace != null) {
			this.namespace.descendants().forEach(ProcessHandle::destroyForcibly);
			this.namespace.destroyForcibly();
			this.namespace.waitFor(30, TimeUnit.SECONDS);
		}
		if (this.work != null) {
			FileSystemUtils.deleteRecursively(this.work.toFile());
		}
	}

	@Test
	void refusesWhatCannotBeKeptWith507AndKeepsEveryAcknowledgedMessage() throws Exception {
		List<String> acknowledged = new ArrayList<>();

		// First run: floor 8 MB.
		ProcessHandle first = awaitApp(null);
		LocalApi member = LocalApi.as(this.port, "test-member");
		for (int i = 0; i < 10; i++) {
			acknowledged.add(postAcknowledged(member, "before " + i));
		}
		assertThat(member.put("uploads/fits.jpg", TestImages.photoJpeg(640, 480), "image/jpeg").statusCode())
			.isEqualTo(201);

		Path disk = inside(first);
		fill(disk.resolve("filler-1"), freeSpace(disk) - 6 * 1024 * 1024);

		JsonNode upload = assertProblem(member.put("uploads/refused.jpg", TestImages.photoJpeg(64, 64), "image/jpeg"),
				507);
		assertThat(upload.path("detail").asString()).contains("nothing was stored")
			.contains("management.health.diskspace.threshold");
		assertProblem(member.postJson("postMessage", message("refused below the floor")), 507);
		HttpResponse<byte[]> health = LocalApi.as(this.port, "test-admin").getRaw("/actuator/health");
		assertThat(health.statusCode()).isEqualTo(503);
		assertThat(LocalApi.json(health).path("components").path("diskSpace").path("status").asString())
			.isEqualTo("DOWN");
		assertThat(member.get("uploads/refused.jpg").statusCode()).isEqualTo(404);

		kill(first);

		// Second run, on the same disk: no floor, so the disk fills up for real.
		ProcessHandle second = awaitApp(first);
		member = LocalApi.as(this.port, "test-member");
		disk = inside(second);
		assertThat(storedTexts(member)).as("every message acknowledged before the kill")
			.containsExactlyInAnyOrderElementsOf(acknowledged);
		fill(disk.resolve("filler-2"), Long.MAX_VALUE);

		HttpResponse<byte[]> full = member.send(member.request("/objects/uploads/full.jpg")
			.header("Content-Type", "image/jpeg")
			// Chunked: no length for a check to go by, so the write itself fails.
			.PUT(BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(new byte[2 * 1024 * 1024]))));
		assertThat(assertProblem(full, 507).path("detail").asString()).contains("nothing was stored");
		assertThat(member.get("uploads/full.jpg").statusCode()).isEqualTo(404);
		assertThat(stagingFiles(disk)).as("unfinished writes in the staging folder").isEmpty();
		try (Stream<Path> files = Files.walk(disk)) {
			assertThat(files.map(Path::toString)).as("anything left of the refused upload")
				.noneMatch((file) -> file.contains("full.jpg"));
		}

		for (int i = 0; i < 10; i++) {
			String text = "on a full disk " + i;
			HttpResponse<byte[]> answer = member.postJson("postMessage", message(text));
			if (answer.statusCode() == 200) {
				acknowledged.add(text);
			}
			else {
				assertThat(answer.statusCode()).as(LocalApi.text(answer)).isIn(503, 507);
				assertThat(LocalApi.contentType(answer)).isEqualTo("application/problem+json");
			}
		}
		Files.delete(disk.resolve("filler-1"));
		Files.delete(disk.resolve("filler-2"));
		kill(second);

		// Third run: every acknowledged message, each once.
		awaitApp(second);
		member = LocalApi.as(this.port, "test-member");
		assertThat(storedTexts(member)).as("every acknowledged message, once, after the kills")
			.containsExactlyInAnyOrderElementsOf(acknowledged);
	}

	private String postAcknowledged(LocalApi member, String text) {
		HttpResponse<byte[]> answer = member.postJson("postMessage", message(text));
		assertThat(answer.statusCode()).as(LocalApi.text(answer)).isEqualTo(200);
		return text;
	}

	private static String message(String text) {
		return "{\"room\":\"" + ROOM + "\",\"text\":\"" + text + "\",\"clientMessageId\":\"" + text.replace(' ', '-')
				+ "\"}";
	}

	private static List<String> storedTexts(LocalApi member) {
		HttpResponse<byte[]> history = member.postJson("messageHistory", "{\"room\":\"" + ROOM + "\",\"limit\":200}");
		assertThat(history.statusCode()).as(LocalApi.text(history)).isEqualTo(200);
		List<String> texts = new ArrayList<>();
		LocalApi.json(history)
			.path("messages")
			.values()
			.forEach((message) -> texts.add(message.path("text").asString()));
		return texts;
	}

	/** The data folder as the app sees it, in its mount namespace. */
	private Path inside(ProcessHandle app) {
		return Path.of("/proc", Long.toString(app.pid()), "root").resolve(this.data.toString().substring(1));
	}

	private static long freeSpace(Path disk) throws IOException {
		return Files.getFileStore(disk).getUsableSpace();
	}

	/** Writes zeros until the size or the disk is full, whichever comes first. */
	private static void fill(Path file, long size) throws IOException {
		byte[] block = new byte[64 * 1024];
		try (OutputStream out = Files.newOutputStream(file)) {
			for (long written = 0; written < size; written += block.length) {
				out.write(block, 0, (int) Math.min(block.length, size - written));
			}
		}
		catch (IOException ex) {
			if (size != Long.MAX_VALUE) {
				throw ex;
			}
			// Full, as asked.
		}
	}

	private static List<Path> stagingFiles(Path disk) throws IOException {
		Path staging = disk.resolve(".staging");
		if (!Files.isDirectory(staging)) {
			return List.of();
		}
		try (Stream<Path> files = Files.list(staging)) {
			return files.toList();
		}
	}

	private static void kill(ProcessHandle app) throws Exception {
		// SIGKILL: the process gets no chance to flush or close anything.
		app.destroyForcibly();
		app.onExit().get(30, TimeUnit.SECONDS);
	}

	/** Waits until the namespace's app, another than the one before, is up. */
	private ProcessHandle awaitApp(ProcessHandle before) throws InterruptedException {
		LocalApi anonymous = LocalApi.anonymous(this.port);
		long deadline = System.nanoTime() + STARTUP.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.namespace.isAlive()) {
				unavailableOrFailed();
			}
			Optional<ProcessHandle> app = this.namespace.descendants()
				.filter((process) -> process.isAlive() && (before == null || process.pid() != before.pid()))
				.filter((process) -> process.info().command().orElse("").endsWith("java"))
				.findFirst();
			try {
				if (app.isPresent() && anonymous.sendOrFail(anonymous.request("/actuator/health/liveness").GET())
					.statusCode() == 200) {
					return app.get();
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			Thread.sleep(200);
		}
		throw new AssertionError("The app did not start within " + STARTUP + "; see " + this.work.resolve("app.log"));
	}

	private void unavailableOrFailed() {
		String log;
		try {
			log = Files.readString(this.work.resolve("namespace.log"));
		}
		catch (IOException ex) {
			log = ex.toString();
		}
		if (this.namespace.exitValue() == 97 || log.contains("unshare:")) {
			throw RequiredTools.unavailable(getClass().getSimpleName(),
					"a private tmpfs cannot be mounted here (needs root or user namespaces): " + log.strip());
		}
		fail("The app's shell exited with " + this.namespace.exitValue() + ": " + log);
	}

	private static String quoted(Object value) {
		return "'" + value.toString().replace("'", "'\\''") + "'";
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
