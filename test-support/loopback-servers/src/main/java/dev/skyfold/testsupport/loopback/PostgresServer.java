package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
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
import org.postgresql.ds.PGSimpleDataSource;

/**
 * A throwaway PostgreSQL server for integration tests, run from Debian's
 * {@code postgresql} binaries: a fresh cluster in a temporary folder, listening on a free
 * port of {@code 127.0.0.1} only, trusting the {@value #USER} superuser without a
 * password. The {@code postgres} server runs as a child process; {@link #close()} stops
 * it with a fast shutdown, which ends open sessions, and deletes its folder.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final PostgresServer postgres = new PostgresServer();
 *
 * DataSource dataSource = postgres.dataSource(postgres.createDatabase("chat"));
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources). {@link #start()} returns once the server accepts connections.
 * <p>
 * PostgreSQL refuses to run as root: as root, the server runs as the {@code postgres}
 * system user that the Debian package creates. When the binaries are missing the tests
 * are skipped, or fail when the environment variable {@code CI} is {@code true}; either
 * way the message says to {@code apt-get install postgresql}. The binaries are those in
 * {@code $SKYFOLD_POSTGRES_BIN} when it is set, else in
 * {@code /usr/lib/postgresql/15/bin}, else in the newest
 * {@code /usr/lib/postgresql/<version>/bin}.
 */
public final class PostgresServer extends LoopbackProcessServer<PostgresServer> {

	/** The superuser, trusted without a password on loopback. */
	public static final String USER = "skyfold";

	/** The database every cluster starts with. */
	public static final String DEFAULT_DATABASE = "postgres";

	private static final String INSTALL_HINT = "apt-get install postgresql";

	private static final Path DEBIAN_ROOT = Path.of("/usr/lib/postgresql");

	private static final String PREFERRED_VERSION = "15";

	private static final String SYSTEM_USER = "postgres";

	private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(2);

	private static final int STOP_TIMEOUT_SECONDS = 30;

	private static final Pattern DATABASE_NAME = Pattern.compile("[a-z_][a-z0-9_]{0,62}");

	private @Nullable Path binaries;

	/**
	 * Creates a server that is not started yet.
	 */
	public PostgresServer() {
		super("PostgreSQL", "skyfold-pg-", Duration.ofSeconds(60));
	}

	/**
	 * The JDBC URL of a database of this server, without credentials: connect as
	 * {@value #USER}, with no password.
	 * @param database the database, such as {@value #DEFAULT_DATABASE}
	 * @return the URL, such as {@code jdbc:postgresql://127.0.0.1:54321/chat}
	 */
	public String jdbcUrl(String database) {
		return jdbcUrl(port(), database);
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

	@Override
	protected void prepare() {
		Path bin = findBinaries();
		if (isRoot()) {
			requireSystemUser();
		}
		this.binaries = bin;
	}

	@Override
	protected Path createFolder() throws IOException {
		boolean root = isRoot();
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

	/**
	 * Creates the cluster.
	 */
	@Override
	protected void initialize(Path folder) throws IOException {
		run(folder, "initdb", INITDB_TIMEOUT, program("initdb"), "-D", dataFolder(folder).toString(), "-A", "trust",
				"-U", USER, "--no-sync", "-E", "UTF8", "--locale=C");
	}

	@Override
	protected List<String> command(Path folder, int port) {
		return asSystemUser(program("postgres"), "-D", dataFolder(folder).toString(), "-p", Integer.toString(port),
				"-k", folder.toString(), "-c", "listen_addresses=" + LOOPBACK, "-c", "fsync=off", "-c",
				"synchronous_commit=off", "-c", "full_page_writes=off");
	}

	@Override
	protected void probe(int port) throws SQLException {
		PGSimpleDataSource dataSource = new PGSimpleDataSource();
		dataSource.setURL(jdbcUrl(port, DEFAULT_DATABASE));
		dataSource.setUser(USER);
		dataSource.setConnectTimeout(1);
		dataSource.setLoginTimeout(2);
		dataSource.setSocketTimeout(2);
		dataSource.getConnection().close();
	}

	/**
	 * Stops the server with a fast shutdown, which ends open sessions; an immediate one
	 * when that fails.
	 */
	@Override
	protected void stop(Process running, Path folder) {
		if (!pgCtlStop(folder, "fast")) {
			pgCtlStop(folder, "immediate");
		}
		super.stop(running, folder);
	}

	private boolean pgCtlStop(Path folder, String mode) {
		if (!Files.exists(dataFolder(folder).resolve("postmaster.pid"))) {
			return true;
		}
		try {
			run(folder, "pg_ctl stop", Duration.ofSeconds(STOP_TIMEOUT_SECONDS + 15), program("pg_ctl"), "-D",
					dataFolder(folder).toString(), "-m", mode, "-w", "-t", Integer.toString(STOP_TIMEOUT_SECONDS),
					"stop");
			return true;
		}
		catch (RuntimeException | IOException ex) {
			return false;
		}
	}

	private String program(String name) {
		return requireRunning(this.binaries).resolve(name).toString();
	}

	private static Path dataFolder(Path folder) {
		return folder.resolve("data");
	}

	private static String jdbcUrl(int port, String database) {
		return "jdbc:postgresql://" + LOOPBACK + ":" + port + "/" + database;
	}

	/**
	 * Runs a PostgreSQL program to its end, waiting a bounded time for it.
	 */
	private static void run(Path folder, String what, Duration timeout, String... command) throws IOException {
		List<String> line = asSystemUser(command);
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

	/**
	 * A command line that runs as the {@code postgres} system user when this JVM runs as
	 * root.
	 */
	private static List<String> asSystemUser(String... command) {
		List<String> line = new ArrayList<>();
		if (isRoot()) {
			line.addAll(List.of(runUser(), "-u", SYSTEM_USER, "--"));
		}
		line.addAll(List.of(command));
		return line;
	}

	private Path findBinaries() {
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
		return found
			.orElseThrow(() -> unavailable("PostgreSQL server binaries (initdb, pg_ctl, postgres) were not found in "
					+ candidates.get(0) + ": install them with '" + INSTALL_HINT + "'"));
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

	private void requireSystemUser() {
		try {
			lookup().lookupPrincipalByName(SYSTEM_USER);
		}
		catch (IOException ex) {
			throw unavailable("PostgreSQL does not run as root, and there is no '" + SYSTEM_USER
					+ "' system user to run it as: install the server with '" + INSTALL_HINT + "'");
		}
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

}
