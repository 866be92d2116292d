package dev.skyfold.testsupport;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway Redis server for integration tests, run from Debian's {@code redis-server}
 * binary as a child process: listening on a free port of {@code 127.0.0.1} only, without
 * persistence, and stopped afterwards.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final RedisServer redis = new RedisServer();
 *
 * String url = "redis://" + redis.host() + ":" + redis.port();
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources).
 * <p>
 * When the binary is missing the tests are skipped, or fail when the environment variable
 * {@code CI} is {@code true}; either way the message says to
 * {@code apt-get install redis-server}. The binary is {@code $SKYFOLD_REDIS_SERVER} when
 * it is set, else {@code /usr/bin/redis-server}, else {@code redis-server} on the
 * {@code PATH}.
 */
public final class RedisServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** The address the server listens on. */
	public static final String HOST = "127.0.0.1";

	private static final Logger log = LoggerFactory.getLogger(RedisServer.class);

	private static final String INSTALL_HINT = "apt-get install redis-server";

	private static final Path DEBIAN_BINARY = Path.of("/usr/bin/redis-server");

	private static final Duration START_TIMEOUT = Duration.ofSeconds(20);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final int START_ATTEMPTS = 3;

	private @Nullable Process process;

	private @Nullable Path directory;

	private int port;

	private @Nullable Thread shutdownHook;

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	/**
	 * Starts the server, unless it runs already, and waits until it answers {@code PING}.
	 * @return this server
	 * @throws org.opentest4j.TestAbortedException when the binary is missing outside CI
	 * @throws IllegalStateException when the binary is missing in CI, or the server does
	 * not start
	 */
	public synchronized RedisServer start() {
		if (this.process != null) {
			return this;
		}
		Path binary = findBinary();
		try {
			Path folder = Files.createTempDirectory("skyfold-redis-");
			this.directory = folder;
			Thread hook = new Thread(this::stopQuietly, "redis-server-shutdown");
			Runtime.getRuntime().addShutdownHook(hook);
			this.shutdownHook = hook;
			startOnFreePort(binary, folder);
			return this;
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException("Could not start Redis from " + binary, ex);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Stops the server and deletes its folder. Harmless when it is not running.
	 */
	@Override
	public synchronized void close() {
		Thread hook = this.shutdownHook;
		if (hook != null) {
			try {
				Runtime.getRuntime().removeShutdownHook(hook);
			}
			catch (IllegalStateException ex) {
				// The JVM is shutting down and runs the hook itself.
			}
			this.shutdownHook = null;
		}
		stopQuietly();
	}

	/**
	 * The address the server listens on.
	 * @return {@value #HOST}
	 */
	public String host() {
		requireRunning(this.process);
		return HOST;
	}

	/**
	 * The port the server listens on, on {@value #HOST}.
	 * @return the port
	 */
	public int port() {
		requireRunning(this.process);
		return this.port;
	}

	/**
	 * The server's output so far, for failure messages.
	 * @return the output, or an empty string
	 */
	public String log() {
		Path folder = this.directory;
		return (folder != null) ? tail(folder.resolve("server.log")) : "";
	}

	private void startOnFreePort(Path binary, Path folder) throws IOException {
		IllegalStateException failure = null;
		// A free port may be taken by someone else before the server binds it: try
		// another.
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			int candidate = freePort();
			Process started = new ProcessBuilder(binary.toString(), "--save", "", "--appendonly", "no", "--bind", HOST,
					"--port", Integer.toString(candidate), "--dir", folder.toString())
				.directory(folder.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve("server.log").toFile()))
				.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
				.start();
			this.process = started;
			this.port = candidate;
			try {
				awaitPong(started, candidate);
				return;
			}
			catch (IllegalStateException ex) {
				failure = ex;
				stopProcess(started);
				this.process = null;
				this.port = 0;
			}
		}
		throw new IllegalStateException(failure.getMessage() + "\nServer log:\n" + log(), failure);
	}

	private static void awaitPong(Process started, int port) {
		long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!started.isAlive()) {
				throw new IllegalStateException("redis-server exited with code " + started.exitValue()
						+ " before answering PING on port " + port);
			}
			try {
				if (ping(port)) {
					return;
				}
				last = "an unexpected answer to PING";
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			try {
				Thread.sleep(50);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for redis-server", ex);
			}
		}
		throw new IllegalStateException(
				"redis-server did not answer PING on port " + port + " within " + START_TIMEOUT + ": " + last);
	}

	private static boolean ping(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, port), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			byte[] expected = "+PONG".getBytes(StandardCharsets.US_ASCII);
			byte[] answer = in.readNBytes(expected.length);
			return Arrays.equals(expected, answer);
		}
	}

	private synchronized void stopQuietly() {
		Process running = this.process;
		if (running != null) {
			stopProcess(running);
			this.process = null;
			this.port = 0;
		}
		Path folder = this.directory;
		if (folder != null) {
			deleteQuietly(folder);
			this.directory = null;
		}
	}

	private static void stopProcess(Process running) {
		running.destroy();
		try {
			if (!running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				running.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			running.destroyForcibly();
			Thread.currentThread().interrupt();
		}
	}

	private static Path findBinary() {
		String configured = System.getenv("SKYFOLD_REDIS_SERVER");
		if (configured != null && !configured.isBlank()) {
			Path binary = Path.of(configured);
			if (Files.isExecutable(binary)) {
				return binary;
			}
			unavailable("SKYFOLD_REDIS_SERVER names " + binary + ", which is not an executable: install Redis with '"
					+ INSTALL_HINT + "'");
		}
		if (Files.isExecutable(DEBIAN_BINARY)) {
			return DEBIAN_BINARY;
		}
		String path = System.getenv("PATH");
		if (path != null) {
			for (String folder : path.split(File.pathSeparator)) {
				if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, "redis-server"))) {
					return Path.of(folder, "redis-server");
				}
			}
		}
		unavailable("redis-server was not found at " + DEBIAN_BINARY + " nor on the PATH: install it with '"
				+ INSTALL_HINT + "'");
		throw new AssertionError("unreachable");
	}

	/**
	 * Fails in CI, where every tool must be installed; skips the tests elsewhere.
	 */
	private static void unavailable(String message) {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(message);
		}
		// Surefire and Failsafe do not report a skipped class's reason: say it here.
		log.warn("Skipping the Redis tests: {}", message);
		Assumptions.abort(message);
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static String tail(Path file) {
		try {
			String text = Files.readString(file, StandardCharsets.UTF_8);
			return (text.length() > 4000) ? "..." + text.substring(text.length() - 4000) : text;
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void deleteQuietly(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			List<Path> deepestFirst = files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList();
			for (Path file : deepestFirst) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException | UncheckedIOException ex) {
			// A leftover temporary folder is no reason to fail a test.
		}
	}

	private static <T> T requireRunning(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("The Redis server is not running; call start() first");
		}
		return value;
	}

}
