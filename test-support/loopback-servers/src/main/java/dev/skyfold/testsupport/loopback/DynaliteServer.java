package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A throwaway DynamoDB API for integration tests: dynalite, the npm package that the
 * repository pins, run by Node.js on a free port of {@code 127.0.0.1}, keeping its tables
 * in memory, and stopped afterwards.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final DynaliteServer dynamo = new DynaliteServer();
 *
 * DynamoDbClient client = DynamoDbClient.builder().endpointOverride(dynamo.endpoint())...
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources). {@link #start()} returns once the server answers a
 * {@code ListTables} request. Any credentials do; new tables are {@code CREATING} for
 * half a second, as in DynamoDB.
 * <p>
 * The program is {@code $SKYFOLD_DYNALITE} when it is set, else
 * {@code node_modules/.bin/dynalite} in the working directory or the nearest folder above
 * it that has one: {@code npm ci} at the repository root installs it there. When it or
 * {@code node} is missing the tests are skipped, or fail when the environment variable
 * {@code CI} is {@code true}.
 */
public final class DynaliteServer extends LoopbackProcessServer<DynaliteServer> {

	private static final String PROGRAM = ".bin/dynalite";

	private static final String INSTALL_HINT = "run 'npm ci' at the repository root";

	private @Nullable Path node;

	private @Nullable Path dynalite;

	/**
	 * Creates a server that is not started yet.
	 */
	public DynaliteServer() {
		super("dynalite", "skyfold-dynalite-", Duration.ofSeconds(30));
	}

	/**
	 * The address of the DynamoDB API.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI endpoint() {
		return URI.create("http://" + LOOPBACK + ":" + port());
	}

	@Override
	protected void prepare() {
		this.node = findOnPath("node").orElseThrow(() -> unavailable(
				"node was not found on the PATH: install Node.js with 'apt-get install nodejs', then " + INSTALL_HINT));
		this.dynalite = findDynalite();
	}

	@Override
	protected List<String> command(Path folder, int port) {
		return List.of(requireRunning(this.node).toString(), requireRunning(this.dynalite).toString(), "--port",
				Integer.toString(port), "--host", LOOPBACK);
	}

	@Override
	protected void probe(int port) throws IOException, InterruptedException {
		HttpResponse<String> answer = probeHttp(listTables(URI.create("http://" + LOOPBACK + ":" + port)));
		if (answer.statusCode() != 200 || answer.headers().firstValue("x-amzn-RequestId").isEmpty()) {
			throw new IOException("not dynalite's answer to ListTables: HTTP " + answer.statusCode());
		}
	}

	/**
	 * A {@code ListTables} request as an AWS SDK would send it, signature aside (dynalite
	 * wants the headers, not a valid signature).
	 */
	static HttpRequest.Builder listTables(URI endpoint) {
		return HttpRequest.newBuilder(endpoint.resolve("/"))
			.header("Content-Type", "application/x-amz-json-1.0")
			.header("X-Amz-Target", "DynamoDB_20120810.ListTables")
			.header("X-Amz-Date", "20260101T120000Z")
			.header("Authorization",
					"AWS4-HMAC-SHA256 Credential=test/20260101/us-east-1/dynamodb/aws4_request,"
							+ " SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=" + "ab".repeat(32))
			.POST(HttpRequest.BodyPublishers.ofString("{}"));
	}

	private Path findDynalite() {
		Optional<Path> configured = configuredFile("SKYFOLD_DYNALITE", System.getenv("SKYFOLD_DYNALITE"), false,
				INSTALL_HINT);
		if (configured.isPresent()) {
			return configured.get();
		}
		return RequiredTools.inNodeModules(PROGRAM)
			.orElseThrow(() -> unavailable("dynalite is not installed: " + INSTALL_HINT));
	}

}
