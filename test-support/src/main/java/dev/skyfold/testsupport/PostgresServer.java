package dev.skyfold.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.sql.DataSource;

import com.sun.security.auth.module.UnixSystem;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.postgresql.ds.PGSimpleDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A throwaway PostgreSQL server for integration tests, run from Debian's
 * {@code postgresql} binaries: a fresh cluster in a temporary folder, listening on a free
 * port of {@code 127.0.0.1} only, trusting the {@value #USER} superuser without a
 * password. It is stopped and its folder deleted afterwards.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final PostgresServer postgres = new PostgresServer();
 *
 * DataSource dataSource = postgres.dataSource(postgres.createDatabase("chat"));
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources).
 * <p>
 * PostgreSQL refuses to run as root: as root, the server runs as the {@code postgres}
 * system user that the Debian package creates. When the binaries are missing the tests
 * are skipped, or fail when the environment variable {@code CI} is {@code true}; either
 * way the message says to {@code apt-get install postgresql}. The binaries are those in
 * {@code $SKYFOLD_POSTGRES_BIN} when it is set, else in
 * {@code /usr/lib/postgresql/15/bin}, else in the newest
 * {@code /usr/lib/postgresql/<version>/bin}.
 */
public final class PostgresServer implements BeforeAllCallback, AfterAllCallback, AutoCloseable {

	/** The superuser, trusted without a password on loopback. */
	public static final String USER = "skyfold";

	/** The database every cluster starts with. */
	public static final String DEFAULT_DATABASE = "postgres";

	private static final Logger log = LoggerFactory.getLogger(PostgresServer.class);

	private static final String INSTALL_HINT = "apt-get install postgresql";

	private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

	private static final String PREFERRED_VERSION = "15";

	private static final String SYSTEM_USER = "postgres";

	private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);

	private static final int START_TIMEOUT_SECONDS = 60;

	private static final int STOP_TIMEOUT_SECONDS = 30;

	private static final int START_ATTEMPTS = 3;

	private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private @Nullable Path directory;

	private @Nullable Path binaries;

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
	 * Creates a cluster and starts the server, unless it runs already.
	 * @return this server
	 * @throws org.opentest4j.TestAbortedException when the binaries are missing outside
	 * CI
	 * @throws IllegalStateException when the binaries are missing in CI, or the server
	 * does not start
	 */
	public synchronized PostgresServer start() {
		if (this.directory != null) {
			return this;
		}
		Path bin = findBinaries();
		boolean root = isRoot();
		if (root) {
			requireSystemUser();
		}
		try {
			Path folder = createFolder(root);
			this.directory = folder;
			this.binaries = bin;
			Thread hook = new Thread(this::stopQuietly, "postgres-server-shutdown");
			Runtime.getRuntime().addShutdownHook(hook);
			this.shutdownHook = hook;
			run("initdb", INITDB_TIMEOUT, bin.resolve("initdb").toString(), "-D", dataFolder().toString(), "-A",
					"trust", "-U", USER, "--no-sync", "-E", "UTF8", "--locale=C");
			startOnFreePort();
			return this;
		}
		catch (IOException ex) {
			close();
			throw new UncheckedIOException("Could not start PostgreSQL from " + bin, ex);
		}
		catch (RuntimeException ex) {
			close();
			throw ex;
		}
	}

	/**
	 * Stops the server (fast shutdown: sessions are ended) and deletes its folder.
	 * Harmless when it is not running.
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
	 * The port the server listens on, on {@code 127.0.0.1}.
	 * @return the port
	 */
	public int port() {
		requireRunning();
		return this.port;
	}

	/**
	 * The JDBC URL of a database of this server, without credentials: connect as
	 * {@value #USER}, with no password.
	 * @param database the database, such as {@value #DEFAULT_DATABASE}
	 * @return the URL, such as {@code jdbc:postgresql://127.0.0.1:54321/chat}
	 */
	public String jdbcUrl(String database) {
		return "jdbc:postgresql://127.0.0.1:" + port() + "/" + database;
	}

	/**
	 * A data source for a database of this server, one new connection per call; pool it
	 * when a test needs many.
	 * @param database the database
	 * @return the data source
	 */
	public DataSource dataSource(String database) {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(jdbcUrl(database));
		dataSource.setUser(USER);
		dataSource.setConnectTimeout(10);
		dataSource.setSocketTimeout(120);
		return dataSource;
	}

	/**
	 * Creates an empty database.
	 * @param database its name: lower-case letters, digits and underscores
	 * @return the name, for {@link #jdbcUrl(String)} and {@link #dataSource(String)}
	 */
	public String createDatabase(String database) {
		if (!DATABASE_NAME.matcher(database).matches()) {
			throw new IllegalArgumentException("Not a plain database name: '" + database + "'");
		}
		try (Connection connection = dataSource(DEFAULT_DATABASE).getConnection();
				Statement statement = connection.createStatement()) {
			statement.execute("CREATE DATABASE " + database);
			return database;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create database " + database, ex);
		}
	}

	/**
	 * The server's log so far, for failure messages.
	 * @return the log, or an empty string
	 */
	public String log() {
		Path folder = this.directory;
		return (folder != null) ? tail(folder.resolve("server.log")) : "";
	}

	private void startOnFreePort() throws IOException {
		Path bin = requireRunning(this.binaries);
		Path folder = requireRunning(this.directory);
		IllegalStateException failure = null;
		// A free port may be taken by someone else before the server binds it: try
		// another.
		for (int attempt = 1; attempt <= START_ATTEMPTS; attempt++) {
			int candidate = freePort();
			String options = "-p " + candidate + " -k " + folder + " -c listen_addresses=127.0.0.1 -c fsync=off"
					+ " -c synchronous_commit=off -c full_page_writes=off";
			try {
				run("pg_ctl start", Duration.ofSeconds(START_TIMEOUT_SECONDS + 30), bin.resolve("pg_ctl").toString(),
						"-D", dataFolder().toString(), "-l", folder.resolve("server.log").toString(), "-w", "-t",
						Integer.toString(START_TIMEOUT_SECONDS), "-o", options, "start");
				this.port = candidate;
				return;
			}
			catch (IllegalStateException ex) {
				failure = ex;
				pgCtlStop("immediate");
			}
		}
		throw new IllegalStateException(failure.getMessage() + "\nServer log:\n" + log(), failure);
	}

	private synchronized void stopQuietly() {
		Path folder = this.directory;
		if (folder == null) {
			return;
		}
		try {
			if (!pgCtlStop("fast")) {
				pgCtlStop("immediate");
			}
		}
		finally {
			deleteQuietly(folder);
			this.directory = null;
			this.port = 0;
		}
	}

	private boolean pgCtlStop(String mode) {
		Path bin = this.binaries;
		if (bin == null || !Files.exists(dataFolder().resolve("postmaster.pid"))) {
			return true;
		}
		try {
			run("pg_ctl stop", Duration.ofSeconds(STOP_TIMEOUT_SECONDS + 15), bin.resolve("pg_ctl").toString(), "-D",
					dataFolder().toString(), "-m", mode, "-w", "-t", Integer.toString(STOP_TIMEOUT_SECONDS), "stop");
			return true;
		}
		catch (RuntimeException | IOException ex) {
			return false;
		}
	}

	private Path dataFolder() {
		return requireRunning(this.directory).resolve("data");
	}

	/**
	 * Runs a PostgreSQL program, as the {@code postgres} system user when this JVM runs
	 * as root, and waits a bounded time for it.
	 */
	private void run(String what, Duration timeout, String... command) throws IOException {
		Path folder = requireRunning(this.directory);
		List<String> line = new ArrayList<>();
		if (isRoot()) {
			line.addAll(List.of(runUser(), "-u", SYSTEM_USER, "--"));
		}
		line.addAll(List.of(command));
		Path output = Files.createTempFile(folder, "command-", ".out");
		Process process = new ProcessBuilder(line).directory(folder.toFile())
			.redirectErrorStream(true)
			.redirectOutput(output.toFile())
			.redirectInput(ProcessBuilder.Redirect.from(Path.of("/dev/null").toFile()))
			.start();
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				throw new IllegalStateException(what + " did not finish within " + timeout + ": "
						+ String.join(" ", line) + "\n" + tail(output));
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new IllegalStateException(what + " was interrupted", ex);
		}
		if (process.exitValue() != 0) {
			throw new IllegalStateException(what + " failed with exit code " + process.exitValue() + ": "
					+ String.join(" ", line) + "\n" + tail(output));
		}
	}

	private static Path findBinaries() {
		List<Path> candidates = new ArrayList<>();
		String configured = System.getenv("SKYFOLD_POSTGRES_BIN");
		if (configured != null && !configured.isBlank()) {
			candidates.add(Path.of(configured));
		}
		else {
			candidates.add(DEBIAN_ROOT.resolve(PREFERRED_VERSION).resolve("bin"));
			candidates.addAll(otherDebianVersions());
		}
		Optional<Path> found = candidates.stream()
			.filter((bin) -> Stream.of("initdb", "pg_ctl", "postgres")
				.allMatch((program) -> Files.isExecutable(bin.resolve(program))))
			.findFirst();
		if (found.isPresent()) {
			return found.get();
		}
		unavailable("PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in " + candidates.get(0)
				+ ": install them with '" + INSTALL_HINT + "'");
		throw new AssertionError("unreachable");
	}

	private static List<Path> otherDebianVersions() {
		if (!Files.isDirectory(DEBIAN_ROOT)) {
			return List.of();
		}
		try (Stream<Path> versions = Files.list(DEBIAN_ROOT)) {
			return versions.filter((version) -> version.getFileName().toString().matches("\\d+"))
				.sorted(Comparator.comparingInt((Path version) -> Integer.parseInt(version.getFileName().toString()))
					.reversed())
				.map((version) -> version.resolve("bin"))
				.toList();
		}
		catch (IOException ex) {
			return List.of();
		}
	}

	private static void requireSystemUser() {
		try {
			lookup().lookupPrincipalByName(SYSTEM_USER);
		}
		catch (IOException ex) {
			unavailable("PostgreSQL does not run as root, and there is no '" + SYSTEM_USER
					+ "' system user to run it as: install the server with '" + INSTALL_HINT + "'");
		}
	}

	/**
	 * Fails in CI, where every tool must be installed; skips the tests elsewhere.
	 */
	private static void unavailable(String message) {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(message);
		}
		// Surefire and Failsafe do not report a skipped class's reason: say it here.
		log.warn("Skipping the PostgreSQL tests: {}", message);
		Assumptions.abort(message);
	}

	private static Path createFolder(boolean root) throws IOException {
		Path parent = Path.of(System.getProperty("java.io.tmpdir"));
		if (root && !Files.getPosixFilePermissions(parent).contains(PosixFilePermission.OTHERS_EXECUTE)) {
			// The postgres user must reach its folder.
			parent = Path.of("/tmp");
		}
		// Short: the server's socket path must fit in 107 bytes.
		Path folder = Files.createTempDirectory(parent, "skyfold-pg-");
		if (root) {
			UserPrincipal user = lookup().lookupPrincipalByName(SYSTEM_USER);
			PosixFileAttributeView view = Files.getFileAttributeView(folder, PosixFileAttributeView.class);
			view.setOwner(user);
			try {
				GroupPrincipal group = lookup().lookupPrincipalByGroupName(SYSTEM_USER);
				view.setGroup(group);
			}
			catch (UserPrincipalNotFoundException ex) {
				// The owner is what matters.
			}
		}
		return folder;
	}

	private static UserPrincipalLookupService lookup() {
		return Path.of("/").getFileSystem().getUserPrincipalLookupService();
	}

	private static boolean isRoot() {
		return new UnixSystem().getUid() == 0;
	}

	private static String runUser() {
		for (String candidate : List.of("/usr/sbin/runuser", "/sbin/runuser", "/usr/bin/runuser")) {
			if (Files.isExecutable(Path.of(candidate))) {
				return candidate;
			}
		}
		throw new IllegalStateException(
				"Running PostgreSQL as root needs runuser (util-linux) to switch to the '" + SYSTEM_USER + "' user");
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

	private void requireRunning() {
		requireRunning(this.directory);
	}

	private static <T> T requireRunning(@Nullable T value) {
		if (value == null) {
			throw new IllegalStateException("The PostgreSQL server is not running; call start() first");
		}
		return value;
	}

}
