package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A throwaway Zipkin for integration tests that follow traces: the
 * {@code io.zipkin:zipkin-server} executable jar run as a JVM of its own, keeping spans
 * in memory, on a free port of {@code 127.0.0.1} only.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final ZipkinServer zipkin = new ZipkinServer();
 *
 * registry.add("management.tracing.export.zipkin.endpoint", zipkin::spansEndpoint);
 * HttpResponse&lt;String&gt; trace = zipkin.trace(traceId);
 * </pre> {@link #start()} returns once Zipkin answers its health check; that takes half a
 * minute or so.
 * <p>
 * The jar is the file that the system property {@value #JAR_PROPERTY} names (modules copy
 * {@code io.zipkin:zipkin-server:exec} with {@code maven-dependency-plugin} and point
 * Failsafe's {@code systemPropertyVariables} at it). When it is missing the tests are
 * skipped, or fail when the environment variable {@code CI} is {@code true}.
 */
public final class ZipkinServer extends LoopbackProcessServer<ZipkinServer> {

	/** The system property that names Zipkin's executable jar. */
	public static final String JAR_PROPERTY = "skyfold.zipkin.jar";

	private static final List<String> JVM_OPTIONS = List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC");

	private @Nullable Path jar;

	/** Creates a server that is not started yet. */
	public ZipkinServer() {
		super("Zipkin", "skyfold-zipkin-", Duration.ofMinutes(2));
	}

	/**
	 * Where a tracer sends spans in Zipkin's JSON v2 format.
	 * @return {@code http://127.0.0.1:<port>/api/v2/spans}
	 */
	public String spansEndpoint() {
		return baseUri() + "/api/v2/spans";
	}

	/**
	 * The spans of one trace that Zipkin holds so far.
	 * @param traceId the trace's id, 32 hexadecimal digits
	 * @return Zipkin's answer: 200 with a JSON array of spans, or 404 while it has none
	 * @throws IOException when Zipkin does not answer
	 * @throws InterruptedException when interrupted while waiting
	 */
	public HttpResponse<String> trace(String traceId) throws IOException, InterruptedException {
		return probeHttp(HttpRequest.newBuilder(URI.create(baseUri() + "/api/v2/trace/" + traceId)));
	}

	private String baseUri() {
		return "http://" + LOOPBACK + ":" + port();
	}

	@Override
	protected void prepare() {
		this.jar = findJar();
	}

	@Override
	protected List<String> command(Path folder, int port) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(JVM_OPTIONS);
		command.add("-Djava.io.tmpdir=" + folder);
		// --server.port would bind every interface: Armeria's own port setting binds one.
		command.addAll(List.of("-jar", requireRunning(this.jar).toString(), "--armeria.ports[0].port=" + port,
				"--armeria.ports[0].ip=" + LOOPBACK, "--armeria.ports[0].protocols[0]=http",
				"--zipkin.storage.type=mem"));
		return command;
	}

	@Override
	protected void probe(int port) throws IOException, InterruptedException {
		HttpResponse<String> answer = probeHttp(
				HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/health")));
		if (answer.statusCode() != 200 || !answer.body().contains("UP")) {
			throw new IOException("Zipkin is not up yet: HTTP " + answer.statusCode());
		}
	}

	private Path findJar() {
		Optional<Path> configured = configuredFile("The system property " + JAR_PROPERTY,
				System.getProperty(JAR_PROPERTY), false, "check the module's maven-dependency-plugin copy of"
						+ " io.zipkin:zipkin-server:exec, which runs before the integration tests ('./mvnw verify')");
		return configured.orElseThrow(() -> unavailable("Zipkin's executable jar is not named: run the tests with"
				+ " './mvnw verify', which copies io.zipkin:zipkin-server:exec and names it in the system property "
				+ JAR_PROPERTY));
	}

}
