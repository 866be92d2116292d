package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A throwaway Firestore for integration tests: the Google Cloud CLI's Firestore emulator
 * ({@code gcloud emulators firestore start}) in native mode, listening on a free port of
 * {@code 127.0.0.1}, keeping everything in memory, and stopped afterwards together with
 * the Java process that {@code gcloud} starts it in.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final FirestoreEmulatorServer firestore = new FirestoreEmulatorServer();
 *
 * Firestore client = FirestoreOptions.newBuilder()
 *     .setEmulatorHost(firestore.hostPort())
 *     .setProjectId(FirestoreEmulatorServer.PROJECT_ID)
 *     .build()
 *     .getService();
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources). {@link #start()} returns once the emulator answers Firestore's
 * REST API. The emulator keeps any number of projects apart and needs no credentials
 * (leave them unset: the client's emulator credentials are what it expects);
 * {@link #clear(String)} deletes a project's documents between tests.
 * <p>
 * The program is {@code $SKYFOLD_GCLOUD} when it is set, else {@code /usr/bin/gcloud},
 * else {@code gcloud} on the {@code PATH}; its emulator component must be installed next
 * to it. It runs with a configuration folder of its own (nothing of the user's
 * {@code gcloud} configuration is read or written), without prompts, update checks or
 * usage reports, so it starts offline. The emulator is a Java program: it runs on the JVM
 * that runs the tests, or on the {@code java} executable that
 * {@code $SKYFOLD_FIRESTORE_EMULATOR_JAVA} names (the Google Cloud CLI wants Java 11 or
 * newer, and warns that releases after 528 want 21). When the CLI or its emulator is
 * missing the tests are skipped, or fail when the environment variable {@code CI} is
 * {@code true}.
 */
public final class FirestoreEmulatorServer extends LoopbackProcessServer<FirestoreEmulatorServer> {

	/** A project id for the tests' clients; the emulator takes any. */
	public static final String PROJECT_ID = "skyfold-test";

	private static final String INSTALL_HINT = "install the Google Cloud CLI and its Firestore emulator"
			+ " ('apt-get install google-cloud-cli google-cloud-cli-firestore-emulator' from Google's apt repository,"
			+ " or 'gcloud components install cloud-firestore-emulator')";

	private static final Path DEBIAN_BINARY = Path.of("/usr/bin/gcloud");

	/** Where the emulator lives in the Google Cloud CLI's installation folder. */
	private static final Path EMULATOR = Path.of("platform", "cloud-firestore-emulator");

	private static final String PROBE_PROJECT = "skyfold-probe";

	private static final Pattern PROJECT = Pattern.compile("[a-z0-9-]{1,63}");

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private @Nullable Path gcloud;

	private @Nullable Path java;

	/**
	 * Creates a server that is not started yet.
	 */
	public FirestoreEmulatorServer() {
		super("Firestore emulator", "skyfold-firestore-", Duration.ofSeconds(90));
	}

	/**
	 * The address that Firestore clients take as their emulator host
	 * ({@code FirestoreOptions.Builder#setEmulatorHost}, or the environment variable
	 * {@code FIRESTORE_EMULATOR_HOST}).
	 * @return {@code 127.0.0.1:<port>}
	 */
	public String hostPort() {
		return LOOPBACK + ":" + port();
	}

	/**
	 * The address of the emulator's REST API (Firestore's {@code /v1/...} and the
	 * emulator's own {@code /emulator/v1/...}); its gRPC API, which the Java client uses,
	 * listens on the same port.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI endpoint() {
		return URI.create("http://" + hostPort());
	}

	/**
	 * Deletes every document of {@link #PROJECT_ID}'s default database.
	 * @see #clear(String)
	 */
	public void clear() {
		clear(PROJECT_ID);
	}

	/**
	 * Deletes every document of a project's default database, so that the next test finds
	 * it empty. Other projects keep theirs.
	 * @param projectId the project
	 * @throws IllegalArgumentException when the project id is not lower-case letters,
	 * digits and dashes
	 * @throws IllegalStateException when the emulator does not run or does not clear the
	 * documents
	 */
	public void clear(String projectId) {
		if (!PROJECT.matcher(projectId).matches()) {
			throw new IllegalArgumentException("Not a project id: '" + projectId + "'");
		}
		URI documents = endpoint().resolve("/emulator/v1/projects/" + projectId + "/databases/"
				+ URLEncoder.encode("(default)", StandardCharsets.UTF_8) + "/documents");
		HttpResponse<String> answer;
		try {
			answer = probeHttp(HttpRequest.newBuilder(documents).DELETE());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not clear project " + projectId + " in the Firestore emulator", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while clearing project " + projectId, ex);
		}
		if (answer.statusCode() != 200) {
			throw new IllegalStateException("The Firestore emulator did not clear project " + projectId + ": HTTP "
					+ answer.statusCode() + " " + answer.body());
		}
	}

	@Override
	protected void prepare() {
		Path program = findGcloud();
		// <sdk>/bin/gcloud, with the emulators under <sdk>/platform.
		Path sdk = sdkRoot(program);
		if (sdk == null || !Files.isDirectory(sdk.resolve(EMULATOR))) {
			throw unavailable("The Firestore emulator is not installed with the Google Cloud CLI at " + program + ": "
					+ INSTALL_HINT);
		}
		this.gcloud = program;
		this.java = findJava();
	}

	@Override
	protected List<String> command(Path folder, int port) {
		return List.of(requireRunning(this.gcloud).toString(), "emulators", "firestore", "start",
				"--host-port=" + LOOPBACK + ":" + port, "--database-mode=firestore-native");
	}

	@Override
	protected void environment(Path folder, int port, Map<String, String> environment) {
		Path javaBin = requireRunning(this.java).getParent();
		String path = environment.get("PATH");
		environment.put("PATH", (path == null || path.isEmpty()) ? javaBin.toString() : javaBin + ":" + path);
		// The emulator's start script runs $JAVA, or java on the PATH.
		environment.put("JAVA", requireRunning(this.java).toString());
		environment.put("CLOUDSDK_CONFIG", folder.resolve("gcloud-config").toString());
		environment.put("CLOUDSDK_CORE_DISABLE_PROMPTS", "1");
		environment.put("CLOUDSDK_CORE_DISABLE_USAGE_REPORTING", "true");
		environment.put("CLOUDSDK_CORE_CHECK_GCE_METADATA", "false");
		environment.put("CLOUDSDK_COMPONENT_MANAGER_DISABLE_UPDATE_CHECK", "true");
		environment.remove("FIRESTORE_EMULATOR_HOST");
	}

	@Override
	protected void probe(int port) throws IOException, InterruptedException {
		// Reading a missing document answers Firestore's own 404; the bare "/" answers
		// "Ok"
		// as many servers do.
		URI document = URI.create("http://" + LOOPBACK + ":" + port + "/v1/projects/" + PROBE_PROJECT + "/databases/"
				+ URLEncoder.encode("(default)", StandardCharsets.UTF_8) + "/documents/probe/missing");
		HttpResponse<String> answer = probeHttp(HttpRequest.newBuilder(document));
		if (answer.statusCode() != 404 || !answer.body().contains("\"status\":\"NOT_FOUND\"")) {
			throw new IOException("not the Firestore emulator's answer to reading a missing document: HTTP "
					+ answer.statusCode() + " " + answer.body());
		}
	}

	/**
	 * Stops {@code gcloud} and every process it started: the emulator runs in a JVM of
	 * its own, under a shell script, which outlive {@code gcloud} when only it is
	 * terminated.
	 */
	@Override
	protected void stop(Process running, Path folder) {
		List<ProcessHandle> processes = new ArrayList<>(running.descendants().toList());
		processes.add(running.toHandle());
		processes.forEach(ProcessHandle::destroy);
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		try {
			for (ProcessHandle process : processes) {
				awaitExit(process, Math.max(0, deadline - System.nanoTime()));
			}
			running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			processes.forEach(ProcessHandle::destroyForcibly);
			Thread.currentThread().interrupt();
		}
	}

	private static void awaitExit(ProcessHandle process, long nanos) throws InterruptedException {
		try {
			process.onExit().get(nanos, TimeUnit.NANOSECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			process.destroyForcibly();
			try {
				process.onExit().get(STOP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
			}
			catch (TimeoutException | ExecutionException ignored) {
				// Nothing more to do: a process that survives SIGKILL is the kernel's.
			}
		}
	}

	private Path findGcloud() {
		Optional<Path> configured = configuredFile("SKYFOLD_GCLOUD", System.getenv("SKYFOLD_GCLOUD"), true,
				INSTALL_HINT);
		if (configured.isPresent()) {
			return configured.get();
		}
		if (Files.isExecutable(DEBIAN_BINARY)) {
			return DEBIAN_BINARY;
		}
		return findOnPath("gcloud").orElseThrow(
				() -> unavailable("gcloud was not found at " + DEBIAN_BINARY + " nor on the PATH: " + INSTALL_HINT));
	}

	private Path findJava() {
		Optional<Path> configured = configuredFile("SKYFOLD_FIRESTORE_EMULATOR_JAVA",
				System.getenv("SKYFOLD_FIRESTORE_EMULATOR_JAVA"), true,
				"name a java executable of Java 11 or newer, or unset it to run the emulator on this JVM");
		if (configured.isPresent()) {
			return configured.get();
		}
		Path current = Path.of(System.getProperty("java.home"), "bin", "java");
		if (!Files.isExecutable(current)) {
			throw unavailable("This JVM has no java executable at " + current
					+ ": name one of Java 11 or newer in SKYFOLD_FIRESTORE_EMULATOR_JAVA");
		}
		return current;
	}

	private static @Nullable Path sdkRoot(Path gcloud) {
		try {
			Path bin = gcloud.toRealPath().getParent();
			return (bin != null) ? bin.getParent() : null;
		}
		catch (IOException ex) {
			return null;
		}
	}

}
