package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A throwaway Azure Storage for integration tests: Azurite, the npm package that the
 * repository pins, run by Node.js with its Blob and Table services on free ports of
 * {@code 127.0.0.1}, keeping everything in memory, and stopped afterwards.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final AzuriteServer azurite = new AzuriteServer();
 *
 * BlobServiceClient blobs = new BlobServiceClientBuilder()
 *     .connectionString(azurite.connectionString()).buildClient();
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources). {@link #start()} returns once both services answer. The account
 * is Azurite's well-known development account {@value #ACCOUNT_NAME}, with
 * {@link #ACCOUNT_KEY its key}. Azurite's Queue service also runs, on a port nobody is
 * told about.
 * <p>
 * The program is {@code $SKYFOLD_AZURITE} when it is set (Azurite's {@code azurite.js}),
 * else {@code node_modules/azurite/dist/src/azurite.js} in the working directory or the
 * nearest folder above it that has one: {@code npm ci} at the repository root installs it
 * there. When it or {@code node} is missing the tests are skipped, or fail when the
 * environment variable {@code CI} is {@code true}.
 */
public final class AzuriteServer extends LoopbackProcessServer<AzuriteServer> {

	/** The name of Azurite's development storage account. */
	public static final String ACCOUNT_NAME = "devstoreaccount1";

	/** The published key of Azurite's development storage account. */
	public static final String ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

	private static final String PROGRAM = "azurite/dist/src/azurite.js";

	private static final String INSTALL_HINT = "run 'npm ci' at the repository root";

	private @Nullable Path node;

	private @Nullable Path azurite;

	private int tablePort;

	/**
	 * Creates a server that is not started yet.
	 */
	public AzuriteServer() {
		super("Azurite", "skyfold-azurite-", Duration.ofSeconds(60));
	}

	/**
	 * The address of the Blob service for the development account (path style, as Azurite
	 * serves it).
	 * @return {@code http://127.0.0.1:<port>/devstoreaccount1}
	 */
	public URI blobEndpoint() {
		return URI.create("http://" + LOOPBACK + ":" + port() + "/" + ACCOUNT_NAME);
	}

	/**
	 * The address of the Table service for the development account.
	 * @return {@code http://127.0.0.1:<port>/devstoreaccount1}
	 */
	public URI tableEndpoint() {
		requireRunning();
		return URI.create("http://" + LOOPBACK + ":" + this.tablePort + "/" + ACCOUNT_NAME);
	}

	/**
	 * A connection string for the Azure SDKs: the development account and its key, with
	 * both services' addresses.
	 * @return the connection string
	 */
	public String connectionString() {
		return "DefaultEndpointsProtocol=http;AccountName=" + ACCOUNT_NAME + ";AccountKey=" + ACCOUNT_KEY
				+ ";BlobEndpoint=" + blobEndpoint() + ";TableEndpoint=" + tableEndpoint() + ";";
	}

	@Override
	protected void prepare() {
		this.node = findOnPath("node").orElseThrow(() -> unavailable(
				"node was not found on the PATH: install Node.js with 'apt-get install nodejs', then " + INSTALL_HINT));
		this.azurite = findAzurite();
	}

	@Override
	protected List<String> command(Path folder, int port) {
		int table = freePort();
		int queue = freePort();
		this.tablePort = table;
		// --inMemoryPersistence refuses --location: the process runs in the folder, so
		// whatever Azurite writes (its debug log, nothing else) lands there.
		return List.of(requireRunning(this.node).toString(), requireRunning(this.azurite).toString(), "--blobHost",
				LOOPBACK, "--blobPort", Integer.toString(port), "--tableHost", LOOPBACK, "--tablePort",
				Integer.toString(table), "--queueHost", LOOPBACK, "--queuePort", Integer.toString(queue),
				"--inMemoryPersistence", "--extentMemoryLimit", "512", "--silent", "--skipApiVersionCheck", "--loose",
				"--disableTelemetry");
	}

	@Override
	protected void probe(int port) throws IOException, InterruptedException {
		expectServer(port, "Azurite-Blob/");
		expectServer(this.tablePort, "Azurite-Table/");
	}

	private static void expectServer(int port, String server) throws IOException, InterruptedException {
		// Without credentials Azurite answers 403, but it says who it is.
		HttpResponse<String> answer = probeHttp(HttpRequest
			.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/" + ACCOUNT_NAME + "?comp=list")));
		String actual = answer.headers().firstValue("Server").orElse("");
		if (!actual.startsWith(server)) {
			throw new IOException("not " + server + " answering: HTTP " + answer.statusCode() + ", Server " + actual);
		}
	}

	private Path findAzurite() {
		Optional<Path> configured = configuredFile("SKYFOLD_AZURITE", System.getenv("SKYFOLD_AZURITE"), false,
				INSTALL_HINT);
		if (configured.isPresent()) {
			return configured.get();
		}
		return RequiredTools.inNodeModules(PROGRAM)
			.orElseThrow(() -> unavailable("Azurite is not installed: " + INSTALL_HINT));
	}

	private static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not find a free port for Azurite", ex);
		}
	}

}
