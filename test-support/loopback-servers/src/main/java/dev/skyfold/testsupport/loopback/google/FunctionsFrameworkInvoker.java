package dev.skyfold.testsupport.loopback.google;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import dev.skyfold.testsupport.loopback.LoopbackProcessServer;
import org.jspecify.annotations.Nullable;

/**
 * A packaged Google Cloud function run as Cloud Functions runs a Java function: Google's
 * Functions Framework invoker
 * ({@code com.google.cloud.functions.invoker:java-function-invoker}, whose jar the build
 * copies and names in {@value #JAR_PROPERTY}) in a JVM of its own, loading the function's
 * classes and serving it over HTTP. <pre class="code">
 * &#64;RegisterExtension
 * static final FunctionsFrameworkInvoker function = new FunctionsFrameworkInvoker(
 * 		List.of(functionJar), "com.example.MyFunction", Map.of("MAIN_CLASS", "com.example.App"));
 *
 * HttpRequest.newBuilder(function.url()) ...
 * </pre> The invoker binds every interface and has no option to bind one: run the tests
 * in a network namespace of their own where that matters (the build does, with
 * {@code test-support/loopback-servers/private-network/bin/java}). When the jar is not
 * there the tests are skipped, or fail when {@code CI} is {@code true}.
 */
public final class FunctionsFrameworkInvoker extends LoopbackProcessServer<FunctionsFrameworkInvoker> {

	/** The system property naming the invoker's jar. */
	public static final String JAR_PROPERTY = "skyfold.gcp.invoker.jar";

	private static final String INSTALL_HINT = "./mvnw verify (the build copies the invoker's jar and sets "
			+ JAR_PROPERTY + ")";

	private final List<Path> classpath;

	private final String target;

	private final Map<String, String> environment;

	private @Nullable Path jar;

	/**
	 * Creates an invoker that is not started yet.
	 * @param classpath the function's jars (its own and its dependencies)
	 * @param target the entry point class
	 * @param environment the function's environment variables
	 */
	public FunctionsFrameworkInvoker(List<Path> classpath, String target, Map<String, String> environment) {
		super("Functions Framework invoker (" + target + ")", "skyfold-gcf-", Duration.ofSeconds(60));
		this.classpath = List.copyOf(classpath);
		this.target = target;
		this.environment = Map.copyOf(environment);
	}

	/**
	 * Where the function answers.
	 * @return {@code http://127.0.0.1:<port>/}
	 */
	public URI url() {
		return URI.create("http://" + LOOPBACK + ":" + port() + "/");
	}

	/**
	 * What one logger of the function logged after a line of the log, for functions that
	 * report an outcome only there (an event function answers a status only): the
	 * messages of Spring Boot's console format, without time, level and logger.
	 * @param line how many lines of the log to pass over ({@code logLines().size()}
	 * before the call)
	 * @param logger the logger's simple name, such as {@code ResizeImageHandler}
	 * @return the messages, oldest first
	 */
	public List<String> messagesSince(int line, String logger) {
		List<String> lines = logLines();
		List<String> messages = new ArrayList<>();
		for (String logged : lines.subList(Math.min(line, lines.size()), lines.size())) {
			int name = logged.indexOf(logger);
			int message = (name >= 0) ? logged.indexOf(" : ", name) : -1;
			if (message >= 0) {
				messages.add(logged.substring(message + 3));
			}
		}
		return messages;
	}

	@Override
	protected void prepare() {
		String configured = System.getProperty(JAR_PROPERTY);
		if (configured == null || !Files.isRegularFile(Path.of(configured))) {
			throw unavailable("The Functions Framework invoker's jar is missing (" + JAR_PROPERTY + "=" + configured
					+ "); run the tests with " + INSTALL_HINT);
		}
		this.jar = Path.of(configured);
	}

	@Override
	protected List<String> command(Path folder, int port) {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-jar");
		command.add(requireRunning(this.jar).toString());
		command.add("--classpath");
		command.add(this.classpath.stream().map(Path::toString).collect(Collectors.joining(":")));
		command.add("--target");
		command.add(this.target);
		command.add("--port");
		command.add(Integer.toString(port));
		return command;
	}

	@Override
	protected void environment(Path folder, int port, Map<String, String> environment) {
		environment.putAll(this.environment);
	}

	@Override
	protected void probe(int port) throws IOException {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress(LOOPBACK, port), 1000);
		}
	}

}
