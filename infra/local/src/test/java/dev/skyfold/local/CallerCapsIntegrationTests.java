package dev.skyfold.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

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
 * One caller cannot hold every connection or request thread: past
 * {@code skyfold.local.max-streams-per-caller} live streams or
 * {@code skyfold.local.max-uploads-per-caller} uploads under way, its next one is a 429
 * problem at once, while other callers go on, and what it ends frees its place (a stream
 * its client dropped at once, not at the next heartbeat, a minute here); a body sent
 * slower than {@code skyfold.local.min-body-rate} is cut off; and a flood of a few
 * hundred such sockets leaves health, the pages and other callers answering at once.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "skyfold.local.stream-heartbeat=60s",
				"skyfold.local.max-streams-per-caller=3", "skyfold.local.max-uploads-per-caller=2",
				"skyfold.local.min-body-rate=8KB", "skyfold.local.body-rate-grace=2s" })
class CallerCapsIntegrationTests {

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
	void refusesACallersStreamsPastTheCapAndFreesAPlaceWhenOneCloses() throws Exception {
		LocalApi viewer = LocalApi.as(this.port, "test-viewer");
		List<Socket> streams = new ArrayList<>();
		try {
			// Places that earlier tests' streams held come free once the app finds them
			// closed: each of these waits for one.
			for (int i = 0; i < 3; i++) {
				streams.add(openOncePlaceIsFree(viewer));
			}
			try (Socket refused = open(viewer)) {
				assertThat(readUntilBlankLine(refused)).contains("HTTP/1.1 429")
					.contains("skyfold.local.max-streams-per-caller");
			}
			openOncePlaceIsFree(LocalApi.as(this.port, "test-member")).close();
			assertThat(new LocalApi(this.port).health()).isEqualTo("UP");

			streams.remove(0).close();
			long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
			String answer = "";
			while (System.nanoTime() < deadline) {
				try (Socket again = open(viewer)) {
					answer = readUntilBlankLine(again);
				}
				if (answer.contains(": subscribed")) {
					break;
				}
				Thread.sleep(200);
			}
			assertThat(answer).as("a place freed by a closed stream").contains(": subscribed");
		}
		finally {
			for (Socket stream : streams) {
				stream.close();
			}
		}
	}

	@Test
	void givesAClientThatDroppedItsStreamsNewOnesAtOnce() throws Exception {
		LocalApi viewer = LocalApi.as(this.port, "test-viewer");
		for (int round = 0; round < 3; round++) {
			List<Socket> streams = new ArrayList<>();
			try {
				for (int i = 0; i < 3; i++) {
					streams.add(open(viewer));
					assertThat(readUntilBlankLine(streams.get(i))).as("round %d, stream %d", round, i)
						.startsWith("HTTP/1.1 200")
						.contains(": subscribed");
				}
			}
			finally {
				// As a page that reloads: its streams are dropped without a word.
				for (Socket stream : streams) {
					stream.close();
				}
			}
		}
	}

	@Test
	void refusesACallersUploadsPastTheCapWhileItsSlowUploadsHoldTheirThreads() throws Exception {
		LocalApi member = LocalApi.as(this.port, "test-member");
		List<Socket> trickling = new ArrayList<>();
		try {
			for (int i = 0; i < 2; i++) {
				trickling.add(startSlowUpload(member, "slow/photo-" + i + ".png"));
			}
			Thread.sleep(500);

			HttpResponse<byte[]> refused = member.put("slow/one-more.png", TestImages.pngWithAlpha(16, 16),
					"image/png");
			assertThat(LocalApi.assertProblem(refused, 429).path("detail").asString())
				.contains("skyfold.local.max-uploads-per-caller");
			assertThat(new LocalApi(this.port).put("slow/admins.png", TestImages.pngWithAlpha(16, 16), "image/png")
				.statusCode()).as("another caller's upload").isEqualTo(201);
			assertThat(new LocalApi(this.port).health()).isEqualTo("UP");
		}
		finally {
			for (Socket upload : trickling) {
				upload.close();
			}
		}
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		int status = 0;
		while (status != 201 && System.nanoTime() < deadline) {
			status = member.put("slow/after.png", TestImages.pngWithAlpha(16, 16), "image/png").statusCode();
			Thread.sleep(100);
		}
		assertThat(status).as("a place freed by an upload that ended").isEqualTo(201);
		assertThat(member.keysUnder("slow/")).doesNotContain("slow/photo-0.png", "slow/photo-1.png");
	}

	@Test
	void cutsOffABodySentSlowerThanTheMinimumRateWithA408AndClosesTheConnection() throws Exception {
		LocalApi member = LocalApi.as(this.port, "test-member");
		long started = System.nanoTime();
		try (Socket upload = startSlowUpload(member, "slow/trickled.png")) {
			upload.setSoTimeout(20_000);
			Thread trickle = new Thread(() -> {
				// 4 KB/s, half the minimum rate, until the server hangs up.
				try {
					for (int i = 0; i < 80; i++) {
						upload.getOutputStream().write(new byte[1024]);
						upload.getOutputStream().flush();
						Thread.sleep(250);
					}
				}
				catch (IOException | InterruptedException ex) {
					// Cut off, as expected.
				}
			}, "trickle");
			trickle.setDaemon(true);
			trickle.start();

			String answer = readUntilBlankLine(upload);
			Duration took = Duration.ofNanos(System.nanoTime() - started);
			assertThat(answer).startsWith("HTTP/1.1 408").contains("skyfold.local.min-body-rate");
			assertThat(took).as("the grace before the rate is checked").isGreaterThanOrEqualTo(Duration.ofSeconds(2));
			assertThat(took).as("a trickled upload, which held its thread for ever before")
				.isLessThan(Duration.ofSeconds(10));
			assertThat(drainsToEnd(upload)).as("the server closes the connection").isTrue();
		}
		assertThat(member.keysUnder("slow/")).doesNotContain("slow/trickled.png");
	}

	@Test
	void keepsHealthThePagesAndOtherCallersFastUnderAFloodOfStreamsAndSlowUploads() throws Exception {
		List<Socket> flood = new ArrayList<>();
		try {
			for (String attacker : List.of("test-viewer", "test-member")) {
				LocalApi api = LocalApi.as(this.port, attacker);
				for (int i = 0; i < 100; i++) {
					flood.add(open(api));
				}
			}
			LocalApi member = LocalApi.as(this.port, "test-member");
			for (int i = 0; i < 100; i++) {
				flood.add(startSlowUpload(member, "flood/photo-" + i + ".png"));
			}
			Thread.sleep(500);

			LocalApi other = new LocalApi(this.port);
			LocalApi anonymous = LocalApi.anonymous(this.port);
			for (int round = 0; round < 3; round++) {
				assertFast("health",
						() -> assertThat(anonymous.getRaw("/actuator/health").statusCode()).isEqualTo(200));
				assertFast("the sign-in page",
						() -> assertThat(anonymous.getRaw("/login").statusCode()).isEqualTo(200));
				assertFast("another caller's post",
						() -> assertThat(other
							.postJson("postMessage",
									"{\"room\":\"flooded\",\"text\":\"still here " + System.nanoTime() + "\"}")
							.statusCode()).isEqualTo(200));
				assertFast("another caller's upload", () -> assertThat(
						other.put("flood/admins.png", TestImages.pngWithAlpha(16, 16), "image/png").statusCode())
					.isEqualTo(201));
			}
		}
		finally {
			for (Socket socket : flood) {
				socket.close();
			}
		}
		// The attackers' places come free once the app finds their streams closed, so
		// that the other tests start from free places whatever their order.
		for (String attacker : List.of("test-viewer", "test-member")) {
			awaitStreamPlace(LocalApi.as(this.port, attacker));
		}
	}

	/** A stream of the caller, once it has a free place; fails after 10 s without one. */
	private Socket openOncePlaceIsFree(LocalApi caller) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		String answer = "";
		while (System.nanoTime() < deadline) {
			Socket stream = open(caller);
			answer = readUntilBlankLine(stream);
			if (answer.contains(": subscribed")) {
				assertThat(answer).startsWith("HTTP/1.1 200");
				return stream;
			}
			stream.close();
			assertThat(answer).as("a stream refused for want of a place").startsWith("HTTP/1.1 429");
			Thread.sleep(200);
		}
		throw new AssertionError("no stream place came free within 10 s: " + answer);
	}

	private void awaitStreamPlace(LocalApi caller) throws Exception {
		long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
		String answer = "";
		while (!answer.contains(": subscribed") && System.nanoTime() < deadline) {
			Thread.sleep(200);
			try (Socket stream = open(caller)) {
				answer = readUntilBlankLine(stream);
			}
		}
		assertThat(answer).as("a stream place freed after the flood").contains(": subscribed");
	}

	private static void assertFast(String what, Runnable request) {
		long started = System.nanoTime();
		request.run();
		assertThat(Duration.ofNanos(System.nanoTime() - started)).as(what).isLessThan(Duration.ofSeconds(1));
	}

	/** Reads what is left until the server closes the connection, or a timeout. */
	private static boolean drainsToEnd(Socket socket) throws IOException {
		socket.setSoTimeout(5_000);
		byte[] buffer = new byte[4096];
		try {
			while (socket.getInputStream().read(buffer) >= 0) {
				// the rest of the problem
			}
			return true;
		}
		catch (java.net.SocketTimeoutException ex) {
			return false;
		}
		catch (IOException ex) {
			// Reset: closed too.
			return true;
		}
	}

	/** A PUT that announces 1 MB and sends a few bytes, holding its request thread. */
	private Socket startSlowUpload(LocalApi caller, String key) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		socket.getOutputStream()
			.write(("PUT " + LocalApi.objectPath(key) + " HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nContent-Type: image/png\r\nContent-Length: 1048576\r\nAuthorization: "
					+ caller.authorization() + "\r\n\r\nslow")
				.getBytes(StandardCharsets.US_ASCII));
		socket.getOutputStream().flush();
		return socket;
	}

	private Socket open(LocalApi caller) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		socket.setSoTimeout(10_000);
		socket.getOutputStream()
			.write(("GET /rooms/capped/stream HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nAccept: text/event-stream\r\nAuthorization: " + caller.authorization() + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	/**
	 * The answer's head and its first event or problem, as far as a greeting or body
	 * goes.
	 */
	private static String readUntilBlankLine(Socket socket) throws IOException {
		InputStream in = socket.getInputStream();
		StringBuilder read = new StringBuilder();
		byte[] buffer = new byte[4096];
		while (!read.toString().contains(": subscribed") && !read.toString().contains("\"status\":")) {
			int n = in.read(buffer);
			if (n < 0) {
				break;
			}
			read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
		}
		return read.toString();
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-stream-cap-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
