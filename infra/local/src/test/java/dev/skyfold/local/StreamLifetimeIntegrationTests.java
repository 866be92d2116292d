package dev.skyfold.local;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

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
 * A live stream does not last for ever: after {@code skyfold.local.stream-max-age} the
 * app ends it (a live client reconnects and catches up), so a stream whose client
 * vanished without a word no longer holds its connection; and streams whose clients hang
 * up leave nothing behind that could reach the next ones.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = { "server.address=127.0.0.1",
		"skyfold.local.stream-heartbeat=200ms", "skyfold.local.stream-max-age=2s" })
class StreamLifetimeIntegrationTests {

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
	void endsAStreamOnceItReachesItsMaximumAge() throws IOException {
		LocalApi viewer = LocalApi.as(this.port, "test-viewer");
		long started = System.nanoTime();
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
			socket.setSoTimeout(15_000);
			// HTTP/1.0: the stream is the whole answer, and ends with the connection.
			socket.getOutputStream()
				.write(("GET /rooms/aging/stream HTTP/1.0\r\nHost: 127.0.0.1:" + this.port
						+ "\r\nAccept: text/event-stream\r\nAuthorization: " + viewer.authorization() + "\r\n\r\n")
					.getBytes(StandardCharsets.US_ASCII));
			String received = readToEnd(socket.getInputStream());
			Duration lasted = Duration.ofNanos(System.nanoTime() - started);

			assertThat(received).startsWith("HTTP/1.1 200").contains(": subscribed");
			assertThat(lasted).as("how long the stream lasted")
				.isBetween(Duration.ofSeconds(2), Duration.ofSeconds(10));
		}
	}

	@Test
	void greetsEveryNewStreamWhileEarlierStreamsAreHungUpOn() throws Exception {
		LocalApi viewer = LocalApi.as(this.port, "test-viewer");
		// A response ended by its client is recycled for the next connection; a write
		// that raced the end once turned a new stream into a 500 within a few rounds.
		for (int round = 0; round < 60; round++) {
			try (Socket first = openStream(viewer); Socket second = openStream(viewer)) {
				assertThat(readGreeting(first)).as("round %d, first stream", round).contains(": subscribed");
				assertThat(readGreeting(second)).as("round %d, second stream", round).contains(": subscribed");
			}
			Thread.sleep(round % 5 * 50);
		}
	}

	private Socket openStream(LocalApi caller) throws IOException {
		Socket socket = new Socket();
		socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), this.port));
		socket.setSoTimeout(10_000);
		socket.getOutputStream()
			.write(("GET /rooms/churning/stream HTTP/1.1\r\nHost: 127.0.0.1:" + this.port
					+ "\r\nAccept: text/event-stream\r\nAuthorization: " + caller.authorization() + "\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
		return socket;
	}

	/** The answer's head and greeting, or its problem, as far as the first is read. */
	private static String readGreeting(Socket socket) throws IOException {
		StringBuilder read = new StringBuilder();
		byte[] buffer = new byte[4096];
		while (!read.toString().contains(": subscribed") && !read.toString().contains("\"status\":")) {
			int n = socket.getInputStream().read(buffer);
			if (n < 0) {
				break;
			}
			read.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
		}
		return read.toString();
	}

	private static String readToEnd(InputStream in) throws IOException {
		ByteArrayOutputStream read = new ByteArrayOutputStream();
		try {
			in.transferTo(read);
		}
		catch (SocketTimeoutException ex) {
			read.writeBytes("\n[still open after 15 s]".getBytes(StandardCharsets.UTF_8));
		}
		return read.toString(StandardCharsets.UTF_8);
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-stream-age-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
