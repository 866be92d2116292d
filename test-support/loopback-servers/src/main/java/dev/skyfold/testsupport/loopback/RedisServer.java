package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

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
 * (try-with-resources). {@link #start()} returns once the server answers {@code PING}.
 * <p>
 * When the binary is missing the tests are skipped, or fail when the environment variable
 * {@code CI} is {@code true}; either way the message says to
 * {@code apt-get install redis-server}. The binary is {@code $SKYFOLD_REDIS_SERVER} when
 * it is set, else {@code /usr/bin/redis-server}, else {@code redis-server} on the
 * {@code PATH}.
 */
public final class RedisServer extends LoopbackProcessServer<RedisServer> {

	/** The address the server listens on. */
	public static final String HOST = LOOPBACK;

	private static final String INSTALL_HINT = "apt-get install redis-server";

	private static final Path DEBIAN_BINARY = Path.of("/usr/bin/redis-server");

	private static final byte[] PONG = "+PONG".getBytes(StandardCharsets.US_ASCII);

	private @Nullable Path binary;

	/**
	 * Creates a server that is not started yet.
	 */
	public RedisServer() {
		super("Redis", "skyfold-redis-", Duration.ofSeconds(20));
	}

	/**
	 * The address the server listens on.
	 * @return {@value #HOST}
	 */
	public String host() {
		requireRunning();
		return HOST;
	}

	@Override
	protected void prepare() {
		this.binary = findBinary();
	}

	@Override
	protected List<String> command(Path folder, int port) {
		return List.of(requireRunning(this.binary).toString(), "--save", "", "--appendonly", "no", "--bind", HOST,
				"--port", Integer.toString(port), "--dir", folder.toString());
	}

	@Override
	protected void probe(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(HOST, port), 1000);
			socket.setSoTimeout(1000);
			OutputStream out = socket.getOutputStream();
			out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
			out.flush();
			InputStream in = socket.getInputStream();
			if (!Arrays.equals(PONG, in.readNBytes(PONG.length))) {
				throw new IOException("an unexpected answer to PING");
			}
		}
	}

	private Path findBinary() {
		Optional<Path> configured = configuredFile("SKYFOLD_REDIS_SERVER", System.getenv("SKYFOLD_REDIS_SERVER"), true,
				"install Redis with '" + INSTALL_HINT + "'");
		if (configured.isPresent()) {
			return configured.get();
		}
		if (Files.isExecutable(DEBIAN_BINARY)) {
			return DEBIAN_BINARY;
		}
		return findOnPath("redis-server").orElseThrow(() -> unavailable("redis-server was not found at " + DEBIAN_BINARY
				+ " nor on the PATH: install it with '" + INSTALL_HINT + "'"));
	}

}
