package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Properties;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;

/**
 * A throwaway S3 API for integration tests: Adobe's S3Mock executable jar run as a JVM of
 * its own, serving plain HTTP (path-style addressing) on a free port of
 * {@code 127.0.0.1}, with its store in a temporary folder that is deleted afterwards.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final S3MockServer s3 = new S3MockServer("photos");
 *
 * S3Client client = S3Client.builder().endpointOverride(s3.endpoint()).forcePathStyle(true)...
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources). {@link #start()} returns once the server lists its buckets; it
 * takes some seconds.
 * <p>
 * The jar is the file that the system property {@value #JAR_PROPERTY} names (modules copy
 * {@code com.adobe.testing:s3mock:exec} with {@code maven-dependency-plugin} and point
 * Failsafe's {@code systemPropertyVariables} at it), else the one in the local Maven
 * repository, {@code ~/.m2/repository}. When it is missing the tests are skipped, or fail
 * when the environment variable {@code CI} is {@code true}.
 */
public final class S3MockServer extends LoopbackProcessServer<S3MockServer> {

	/** The system property that names S3Mock's executable jar. */
	public static final String JAR_PROPERTY = "skyfold.s3mock.jar";

	private static final Pattern BUCKET_NAME = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	/** Small and quick to start: the JVM serves a few test requests only. */
	private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private final List<String> initialBuckets;

	private @Nullable Path jar;

	/**
	 * Creates a server that is not started yet.
	 * @param initialBuckets the buckets it starts with, if any
	 * @throws IllegalArgumentException when one is not a valid bucket name
	 */
	public S3MockServer(String... initialBuckets) {
		super("S3Mock", "skyfold-s3mock-", Duration.ofMinutes(2));
		for (String bucket : initialBuckets) {
			if (!BUCKET_NAME.matcher(bucket).matches()) {
				throw new IllegalArgumentException("Not a valid bucket name: '" + bucket + "'");
			}
		}
		this.initialBuckets = List.of(initialBuckets);
	}

	/**
	 * The address of the S3 API, for a client with path-style addressing.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI endpoint() {
		return URI.create("http://" + LOOPBACK + ":" + port());
	}

	@Override
	protected void prepare() {
		this.jar = findJar();
	}

	@Override
	protected void initialize(Path folder) throws IOException {
		Files.createDirectories(folder.resolve("tmp"));
	}

	@Override
	protected List<String> command(Path folder, int port) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.add("-Djava.io.tmpdir=" + folder.resolve("tmp"));
		command.addAll(List.of("-jar", requireRunning(this.jar).toString(), "--server.port=0",
				"--server.address=" + LOOPBACK, "--com.adobe.testing.s3mock.http-port=" + port,
				"--com.adobe.testing.s3mock.store.root=" + folder.resolve("store")));
		if (!this.initialBuckets.isEmpty()) {
			command.add("--com.adobe.testing.s3mock.store.initial-buckets=" + String.join(",", this.initialBuckets));
		}
		return command;
	}

	@Override
	protected void probe(int port) throws IOException, InterruptedException {
		HttpResponse<String> answer = probeHttp(
				HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/")));
		if (answer.statusCode() != 200 || !answer.body().contains("ListAllMyBucketsResult")) {
			throw new IOException("not S3Mock's bucket list: HTTP " + answer.statusCode());
		}
	}

	private Path findJar() {
		Optional<Path> configured = configuredFile("The system property " + JAR_PROPERTY,
				System.getProperty(JAR_PROPERTY), false, "check the module's maven-dependency-plugin copy of"
						+ " com.adobe.testing:s3mock:exec, which runs before the integration tests ('./mvnw verify')");
		if (configured.isPresent()) {
			return configured.get();
		}
		String version = version();
		String repository = System.getProperty("maven.repo.local",
				Path.of(System.getProperty("user.home"), ".m2", "repository").toString());
		Path local = Path.of(repository, "com", "adobe", "testing", "s3mock", version,
				"s3mock-" + version + "-exec.jar");
		if (Files.isRegularFile(local)) {
			return local;
		}
		throw unavailable("S3Mock's executable jar is not at " + local + ": fetch it with './mvnw dependency:get"
				+ " -Dartifact=com.adobe.testing:s3mock:" + version + ":jar:exec -Dtransitive=false', or copy it"
				+ " with maven-dependency-plugin and name it in the system property " + JAR_PROPERTY);
	}

	private static String version() {
		Properties properties = new Properties();
		try (InputStream in = S3MockServer.class.getResourceAsStream("s3mock.properties")) {
			if (in != null) {
				properties.load(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the S3Mock version", ex);
		}
		String version = properties.getProperty("version", "");
		if (!version.matches("[0-9][0-9A-Za-z.-]*")) {
			throw new IllegalStateException(
					"loopback-servers was built without the S3Mock version in s3mock.properties: '" + version + "'");
		}
		return version;
	}

}
