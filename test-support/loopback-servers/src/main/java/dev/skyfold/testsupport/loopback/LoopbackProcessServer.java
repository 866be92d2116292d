package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What the throwaway servers of the integration tests share: a child process listening on
 * a free port of {@code 127.0.0.1}, with a temporary folder of its own and its output in
 * a log file there, stopped at the end of the test class or of the JVM at the latest.
 * <p>
 * A subclass says where its program is ({@link #prepare()}), how to run it on a port
 * ({@link #command(Path, int)}) and how to tell that it answers ({@link #probe(int)}).
 * Users register it on a static field, <pre class="code">
 * &#64;RegisterExtension
 * static final RedisServer redis = new RedisServer();
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources).
 * <p>
 * A program that is not installed skips the tests, or fails them when the environment
 * variable {@code CI} is {@code true}: see {@link #unavailable(String)}.
 *
 * @param <S> the server type, which {@link #start()} returns
 */
public abstract class LoopbackProcessServer<S extends LoopbackProcessServer<S>>
		implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** The address every server listens on. */
	protected static final String LOOPBACK = "127.0.0.1";

	private static final String LOG_FILE = "server.log";

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final int START_ATTEMPTS = 3;

	private final Logger logger = LoggerFactory.getLogger(getClass());

	private final String name;

	private final String folderPrefix;

	private final Duration startTimeout;

	private @Nullable Process process;

	private @Nullable Path directory;

	private int port;

	/** Whether {@link #stopProcess()} stopped the process, keeping folder and port. */
	private boolean stopped;

	private @Nullable Thread shutdownHook;

	/**
	 * Creates a server that is not started yet.
	 * @param name what the messages call it, such as {@code Redis}
	 * @param folderPrefix the name prefix of its temporary folder, such as
	 * {@code skyfold-redis-}
	 * @param startTimeout how long one start may take until the server answers
	 */
	protected LoopbackProcessServer(String name, String folderPrefix, Duration startTimeout) {
		this.name = name;
		this.folderPrefix = folderPrefix;
		this.startTimeout = startTimeout;
	}

	@Override
	public void beforeAll(ExtensionContext context) {
		start();
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	/**
	 * Starts the server, unless it runs already, and waits until it answers.
	 * @return this server
	 * @throws org.opentest4j.TestAbortedException when the program is missing outside CI
	 * @throws IllegalStateException when the program is missing in CI, or the server does
	 * not start
	 */
	public final synchronized S start() {
		if (this.process == null) {
			prepare();
			try {
				Path folder = createFolder();
				this.directory = folder;
				Thread hook = new Thread(this::stopQuietly, this.name + "-server-shutdown");
				Runtime.getRuntime().addShutdownHook(hook);
				this.shutdownHook = hook;
				initialize(folder);
				startOnFreePort(folder);
			}
			catch (IOException ex) {
				close();
				throw new UncheckedIOException("Could not start the " + this.name + " server", ex);
			}
			catch (RuntimeException ex) {
				close();
				throw ex;
			}
		}
		@SuppressWarnings("unchecked")
		S self = (S) this;
		return self;
	}

	/**
	 * Stops the server and deletes its folder. Harmless when it is not running.
	 */
	@Override
	public final synchronized void close() {
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
	 * Stops the server's process but keeps its folder and port, as an outage would: start
	 * it again, on the same port, with {@link #restartProcess()}.
	 */
	public final synchronized void stopProcess() {
		Process running = requireRunning(this.process);
		stop(running, requireRunning(this.directory));
		this.stopped = true;
	}

	/**
	 * Starts the process that {@link #stopProcess()} stopped again, on the same port, and
	 * waits until it answers.
	 * @return this server
	 * @throws IllegalStateException when it was not stopped, or does not start
	 */
	public final synchronized S restartProcess() {
		if (!this.stopped) {
			throw new IllegalStateException("The " + this.name + " server was not stopped by stopProcess()");
		}
		Path folder = requireRunning(this.directory);
		try {
			Process started = launch(folder, this.port);
			this.process = started;
			this.stopped = false;
			awaitReady(started, this.port);
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not restart the " + this.name + " server", ex);
		}
		@SuppressWarnings("unchecked")
		S self = (S) this;
		return self;
	}

	/**
	 * The port the server listens on, on {@code 127.0.0.1}.
	 * @return the port
	 */
	public final int port() {
		requireRunning();
		return this.port;
	}

	/**
	 * The server's output so far (its end, when long), for failure messages.
	 * @return the output, or an empty string
	 */
	public final String log() {
		Path folder = this.directory;
		return (folder != null) ? tail(folder.resolve(LOG_FILE)) : "";
	}

	/**
	 * Every line the server has logged since it started, for tests that read what a
	 * server reports only in its log.
	 * @return the lines, oldest first; none before the server started
	 */
	public final List<String> logLines() {
		Path folder = this.directory;
		if (folder == null) {
			return List.of();
		}
		try {
			return Files.readAllLines(folder.resolve(LOG_FILE), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	/**
	 * Finds the program before anything is created, and remembers it for
	 * {@link #command(Path, int)}; calls {@link #unavailable(String)} when it is missing.
	 */
	protected abstract void prepare();

	/**
	 * Creates the server's temporary folder; the log file goes there too.
	 * @return the new folder
	 * @throws IOException when it cannot be created
	 */
	protected Path createFolder() throws IOException {
		return Files.createTempDirectory(this.folderPrefix);
	}

	/**
	 * Prepares the folder once per start, before the first attempt to run the server.
	 * @param folder the server's folder
	 * @throws IOException when that fails
	 */
	protected void initialize(Path folder) throws IOException {
	}

	/**
	 * The command that runs the server in the foreground, listening on {@code port} of
	 * {@value #LOOPBACK}. It runs in {@code folder}, with its standard input empty.
	 * @param folder the server's folder
	 * @param port a port that was free a moment ago
	 * @return the program and its arguments
	 */
	protected abstract List<String> command(Path folder, int port);

	/**
	 * Adds to or changes the environment the server runs with, which is this JVM's by
	 * default.
	 * @param folder the server's folder
	 * @param port the port of {@link #command(Path, int)}
	 * @param environment the environment, to change in place
	 */
	protected void environment(Path folder, int port, Map<String, String> environment) {
	}

	/**
	 * Asks the server something that it answers once it is ready, and checks that the
	 * answer comes from it rather than from another process on the same port.
	 * @param port the port it listens on
	 * @throws Exception when it does not answer (yet), or not as expected
	 */
	protected abstract void probe(int port) throws Exception;

	/**
	 * Stops the server's process, and waits a bounded time for it: by default a
	 * termination signal, then a kill.
	 * @param running the process that {@link #command(Path, int)} started
	 * @param folder the server's folder
	 */
	protected void stop(Process running, Path folder) {
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

	/**
	 * Gives up on a program that is not installed: fails in CI, where every tool must be
	 * installed, and skips the tests elsewhere, logging why (Surefire and Failsafe do not
	 * report a skipped class's reason).
	 * @param message what is missing and the step that installs it
	 * @return never returns; declared so that callers can {@code throw} it
	 * @throws IllegalStateException when the environment variable {@code CI} is
	 * {@code true}
	 * @throws org.opentest4j.TestAbortedException otherwise
	 */
	protected final RuntimeException unavailable(String message) {
		return RequiredTools.unavailable("the " + this.name + " tests", message);
	}

	/**
	 * Fails unless the server runs.
	 * @throws IllegalStateException when it does not
	 */
	protected final void requireRunning() {
		requireRunning(this.process);
	}

	/**
	 * Returns a value that exists while the server runs (or starts).
	 * @param <T> its type
	 * @param value the value
	 * @return the value, when it is not {@code null}
	 * @throws IllegalStateException when it is {@code null}
	 */
	protected final <T> T requireRunning(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("The " + this.name + " server is not running; call start() first");
		}
		return value;
	}

	/**
	 * The file that a setting names, such as an environment variable; calls
	 * {@link #unavailable(String)} when it names no such file.
	 * @param setting the setting's name, for the message
	 * @param value its value, {@code null} or blank when it is not set
	 * @param executable whether the file must be an executable
	 * @param hint what to do instead, for the message
	 * @return the file, if the setting is set
	 */
	protected final Optional<Path> configuredFile(String setting, @Nullable String value, boolean executable,
			String hint) {
		if (value == null || value.isBlank()) {
			return Optional.empty();
		}
		Path file = Path.of(value);
		if (executable ? !Files.isExecutable(file) || Files.isDirectory(file) : !Files.isRegularFile(file)) {
			throw unavailable(setting + " names " + file + ", which is not " + (executable ? "an executable" : "a file")
					+ ": " + hint);
		}
		return Optional.of(file);
	}

	/**
	 * Finds an executable program on the {@code PATH}.
	 * @param program its file name
	 * @return its path, if there is one
	 */
	protected static Optional<Path> findOnPath(String program) {
		return RequiredTools.onPath(program);
	}

	/**
	 * Sends an HTTP/1.1 request for {@link #probe(int)}, with short timeouts.
	 * @param request the request, without a timeout
	 * @return the answer
	 * @throws IOException when there is none
	 * @throws InterruptedException when interrupted while waiting
	 */
	protected static HttpResponse<String> probeHttp(HttpRequest.Builder request)
			throws IOException, InterruptedException {
		return ProbeClient.INSTANCE.send(request.timeout(Duration.ofSeconds(2)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

	private void startOnFreePort(Path folder) throws IOException {
		IllegalStateException failure = null;
		// A free port may be taken by someone else before the server binds it: try
		// another.
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			int candidate = freePort();
			Process started = launch(folder, candidate);
			this.process = started;
			this.port = candidate;
			try {
				awaitReady(started, candidate);
				return;
			}
			catch (IllegalStateException ex) {
				failure = ex;
				stop(started, folder);
				this.process = null;
				this.port = 0;
			}
		}
		throw new IllegalStateException(failure.getMessage() + "\nServer log:\n" + log(), failure);
	}

	private Process launch(Path folder, int port) throws IOException {
		ProcessBuilder builder = new ProcessBuilder(command(folder, port)).directory(folder.toFile())
			.redirectErrorStream(true)
			.redirectOutput(ProcessBuilder.Redirect.appendTo(folder.resolve(LOG_FILE).toFile()))
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()));
		environment(folder, port, builder.environment());
		return builder.start();
	}

	private void awaitReady(Process started, int port) {
		long deadline = System.nanoTime() + this.startTimeout.toNanos();
		String last = "no answer";
		while (System.nanoTime() < deadline) {
			if (!started.isAlive()) {
				throw new IllegalStateException("The " + this.name + " server exited with code " + started.exitValue()
						+ " before answering on port " + port);
			}
			try {
				probe(port);
				return;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the " + this.name + " server", ex);
			}
			catch (Exception ex) {
				last = ex.toString();
			}
			try {
				Thread.sleep(100);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the " + this.name + " server", ex);
			}
		}
		throw new IllegalStateException("The " + this.name + " server did not answer on port " + port + " within "
				+ this.startTimeout + ": " + last);
	}

	private synchronized void stopQuietly() {
		Path folder = this.directory;
		try {
			Process running = this.process;
			if (running != null && folder != null) {
				stop(running, folder);
			}
		}
		finally {
			this.process = null;
			this.port = 0;
			this.stopped = false;
			if (folder != null) {
				deleteQuietly(folder);
				this.directory = null;
			}
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	/**
	 * The end of a text file, for failure messages.
	 * @param file the file
	 * @return its last 4000 characters or so, or an empty string when it cannot be read
	 */
	protected static String tail(Path file) {
		try {
			String text = Files.readString(file, StandardCharsets.UTF_8);
			return (text.length() > 4000) ? "..." + text.substring(text.length() - 4000) : text;
		}
		catch (IOException ex) {
			return "";
		}
	}

	private static void deleteQuietly(Path folder) {
		try {
			Files.walkFileTree(folder, new SimpleFileVisitor<>() {
				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path directory, @Nullable IOException ex) throws IOException {
					Files.deleteIfExists(directory);
					return FileVisitResult.CONTINUE;
				}
			});
		}
		catch (IOException ex) {
			// A leftover temporary folder is no reason to fail a test.
		}
	}

	/** Created on first use: Redis and PostgreSQL do not speak HTTP. */
	private static final class ProbeClient {

		static final HttpClient INSTANCE = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(1))
			.build();

	}

}
