package dev.skyfold.testsupport.loopback.lambda;

import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.CodeSource;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

/**
 * A packaged Lambda jar run as AWS Lambda runs a Java function: AWS's runtime interface
 * client ({@code com.amazonaws:aws-lambda-java-runtime-interface-client}, which the test
 * classpath must hold) in its own JVM, polling a Lambda Runtime API that this object
 * serves on {@code 127.0.0.1}. <pre class="code">
 * try (LambdaFunction function = LambdaFunction.start(jar, FunctionInvoker + "::handleRequest",
 * 		Map.of("SPRING_CLOUD_FUNCTION_DEFINITION", "resizeImage"), List.of("-XX:+UseSerialGC"))) {
 * 	Invocation answer = function.invoke(eventJson, Duration.ofSeconds(60));
 * }
 * </pre>
 */
public final class LambdaFunction implements AutoCloseable {

	private static final String RUNTIME_CLIENT = "com.amazonaws.services.lambda.runtime.api.client.AWSLambda";

	/** The runtime client's own dependencies, which Lambda's runtime provides too. */
	private static final List<String> RUNTIME_CLASSES = List.of(RUNTIME_CLIENT,
			"com.amazonaws.services.lambda.runtime.Context",
			"com.amazonaws.services.lambda.runtime.serialization.PojoSerializer",
			"software.amazon.awssdk.utilslite.SdkInternalThreadLocal");

	private static final String FUNCTION_NAME = "skyfold-test";

	/** Where the runtime client loads its native HTTP client from, when set. */
	private static final String NATIVE_CLIENT_PROPERTY = "com.amazonaws.services.lambda.runtime.api.client.runtimeapi.NativeClient.JNI";

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(10);

	private static final Duration ALIVE_CHECK = Duration.ofMillis(200);

	private final RuntimeApi api;

	private final Process process;

	private final Path folder;

	private final long started;

	private LambdaFunction(RuntimeApi api, Process process, Path folder, long started) {
		this.api = api;
		this.process = process;
		this.folder = folder;
		this.started = started;
	}

	/**
	 * Starts the function's JVM; the runtime client initializes the handler and then asks
	 * for the first event.
	 * @param jar the packaged function (or a folder of classes)
	 * @param handler the handler, {@code class::method}
	 * @param environment the function's environment variables, on top of those Lambda
	 * sets ({@code AWS_REGION} is {@code us-east-1} unless given)
	 * @param jvmOptions options before the class path, such as Lambda's
	 * {@code -XX:+TieredCompilation -XX:TieredStopAtLevel=1}
	 * @return the running function
	 */
	public static LambdaFunction start(Path jar, String handler, Map<String, String> environment,
			List<String> jvmOptions) {
		return start(new Launch(List.of(jar), handler, environment, jvmOptions, List.of()));
	}

	/**
	 * Starts the function's JVM as {@link #start(Path, String, Map, List)} does, with
	 * more say over the command.
	 * @param launch the class path, handler, environment, JVM options and command prefix
	 * @return the running function
	 */
	public static LambdaFunction start(Launch launch) {
		for (Path entry : launch.classpath()) {
			if (!Files.exists(entry)) {
				throw new IllegalStateException("No Lambda jar at " + entry + ": package the module first");
			}
		}
		String handler = launch.handler();
		RuntimeApi api = null;
		Path folder = null;
		try {
			api = new RuntimeApi(FUNCTION_NAME);
			folder = Files.createTempDirectory("skyfold-lambda-");
			List<String> classpath = new ArrayList<>();
			launch.classpath().forEach((entry) -> classpath.add(entry.toAbsolutePath().toString()));
			classpath.addAll(runtimeClientClasspath());
			List<String> command = new ArrayList<>(launch.commandPrefix());
			command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
			command.addAll(launch.jvmOptions());
			command.add("-D" + NATIVE_CLIENT_PROPERTY + "=" + extractNativeClient(folder));
			command.add("-cp");
			command.add(String.join(File.pathSeparator, classpath));
			command.add(RUNTIME_CLIENT);
			command.add(handler);
			ProcessBuilder builder = new ProcessBuilder(command).directory(folder.toFile())
				.redirectErrorStream(true)
				.redirectOutput(folder.resolve("function.log").toFile())
				.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
			Map<String, String> env = builder.environment();
			env.put("AWS_LAMBDA_RUNTIME_API", api.address());
			env.put("_HANDLER", handler);
			env.put("LAMBDA_TASK_ROOT", folder.toString());
			env.put("AWS_LAMBDA_FUNCTION_NAME", FUNCTION_NAME);
			env.put("AWS_LAMBDA_FUNCTION_VERSION", "$LATEST");
			env.put("AWS_LAMBDA_FUNCTION_MEMORY_SIZE", "512");
			env.put("AWS_LAMBDA_LOG_GROUP_NAME", "/aws/lambda/" + FUNCTION_NAME);
			env.put("AWS_LAMBDA_LOG_STREAM_NAME", "local");
			env.put("AWS_REGION", "us-east-1");
			env.putAll(launch.environment());
			long started = System.nanoTime();
			return new LambdaFunction(api, builder.start(), folder, started);
		}
		catch (IOException ex) {
			if (api != null) {
				api.close();
			}
			throw new UncheckedIOException("Could not start the Lambda function from " + launch.classpath(), ex);
		}
	}

	/**
	 * Hands the function one event and waits for its answer.
	 * @param eventJson the event, as Lambda would pass it
	 * @param timeout how long to wait, also the invocation's deadline
	 * @return the function's response, or its error
	 * @throws IllegalStateException when the function's JVM exits or fails to initialize,
	 * or does not answer in time; the message holds its log
	 */
	public Invocation invoke(String eventJson, Duration timeout) {
		CompletableFuture<Invocation> answer = this.api.submit(eventJson, timeout);
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			try {
				return answer.get(ALIVE_CHECK.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (TimeoutException ex) {
				String initError = this.api.initError();
				if (initError != null) {
					throw new IllegalStateException("The function failed to initialize: " + initError + "\n" + log());
				}
				if (!this.process.isAlive()) {
					throw new IllegalStateException(
							"The function's JVM exited with code " + this.process.exitValue() + "\n" + log());
				}
				if (System.nanoTime() > deadline) {
					throw new IllegalStateException("The function did not answer within " + timeout + "\n" + log());
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the function", ex);
			}
			catch (ExecutionException ex) {
				throw new IllegalStateException("The invocation failed", ex.getCause());
			}
		}
	}

	/**
	 * The function's JVM process, for benchmarks that read its memory from {@code /proc}.
	 * @return its process id
	 */
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Waits until the runtime client has initialized the handler and asks for its first
	 * event: Lambda's init phase.
	 * @param timeout how long to wait
	 * @return the time from starting the JVM to its first request for an event
	 * @throws IllegalStateException when the function's JVM exits or fails to initialize,
	 * or does not ask in time; the message holds its log
	 */
	public Duration awaitInitialized(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (this.api.firstPoll() == 0) {
			String initError = this.api.initError();
			if (initError != null) {
				throw new IllegalStateException("The function failed to initialize: " + initError + "\n" + log());
			}
			if (!this.process.isAlive()) {
				throw new IllegalStateException(
						"The function's JVM exited with code " + this.process.exitValue() + "\n" + log());
			}
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("The function did not initialize within " + timeout + "\n" + log());
			}
			try {
				Thread.sleep(5);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IllegalStateException("Interrupted while waiting for the function", ex);
			}
		}
		return Duration.ofNanos(this.api.firstPoll() - this.started);
	}

	/**
	 * What the function's JVM printed so far.
	 * @return its standard output and error
	 */
	public String log() {
		try {
			return Files.readString(this.folder.resolve("function.log"), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			return "";
		}
	}

	/**
	 * Stops the function's JVM, then the Runtime API: the runtime client's native code
	 * crashes when its endpoint goes away in the middle of a poll.
	 */
	@Override
	public void close() {
		this.process.destroy();
		try {
			if (!this.process.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly().waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
			}
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		this.api.close();
		deleteQuietly(this.folder);
	}

	/**
	 * Unpacks the runtime client's native library into the function's folder. Left alone,
	 * every client JVM copies it to the same {@code /tmp/.libaws-lambda-jni.so} while
	 * starting, and JVMs starting together crash on the half-written file.
	 */
	private static Path extractNativeClient(Path folder) throws IOException {
		String arch = System.getProperty("os.arch");
		String name = (arch.equals("aarch64") || arch.equals("arm64")) ? "libaws-lambda-jni.linux-aarch_64.so"
				: "libaws-lambda-jni.linux-x86_64.so";
		Path library = folder.resolve(name);
		try (InputStream in = Class.forName(RUNTIME_CLIENT, false, LambdaFunction.class.getClassLoader())
			.getClassLoader()
			.getResourceAsStream("jni/" + name)) {
			if (in == null) {
				throw new IllegalStateException("The runtime client's jar lacks jni/" + name);
			}
			Files.copy(in, library);
		}
		catch (ClassNotFoundException ex) {
			throw new IllegalStateException("The test classpath lacks " + RUNTIME_CLIENT
					+ ": add a test dependency on com.amazonaws:aws-lambda-java-runtime-interface-client", ex);
		}
		return library;
	}

	private static Set<String> runtimeClientClasspath() {
		Set<String> jars = new LinkedHashSet<>();
		for (String name : RUNTIME_CLASSES) {
			try {
				CodeSource source = Class.forName(name, false, LambdaFunction.class.getClassLoader())
					.getProtectionDomain()
					.getCodeSource();
				if (source == null) {
					throw new IllegalStateException("Cannot tell which jar holds " + name);
				}
				jars.add(Path.of(source.getLocation().toURI()).toString());
			}
			catch (ClassNotFoundException ex) {
				throw new IllegalStateException(
						"The test classpath lacks " + name
								+ ": add a test dependency on com.amazonaws:aws-lambda-java-runtime-interface-client",
						ex);
			}
			catch (URISyntaxException ex) {
				throw new IllegalStateException("Cannot locate the jar of " + name, ex);
			}
		}
		return jars;
	}

	private static void deleteQuietly(Path folder) {
		try (Stream<Path> files = Files.walk(folder)) {
			files.sorted((a, b) -> b.getNameCount() - a.getNameCount()).forEach((file) -> file.toFile().delete());
		}
		catch (IOException | UncheckedIOException ex) {
			// A leftover temporary folder is no reason to fail a test.
		}
	}

	/**
	 * How to start a function.
	 *
	 * @param classpath the packaged function: its jar, or folders and jars
	 * @param handler the handler, {@code class::method}
	 * @param environment the function's environment variables, on top of those Lambda
	 * sets
	 * @param jvmOptions options before the class path
	 * @param commandPrefix a command that runs {@code java}, such as
	 * {@code taskset -c 0}, or none
	 */
	public record Launch(List<Path> classpath, String handler, Map<String, String> environment, List<String> jvmOptions,
			List<String> commandPrefix) {

	}

	/**
	 * The function's answer to one event.
	 *
	 * @param failed whether it answered at {@code /error} rather than {@code /response}
	 * @param body the answer's body: the response, or the error JSON
	 * ({@code errorMessage}, {@code errorType}, ...)
	 * @param errorType the {@code Lambda-Runtime-Function-Error-Type} of an error
	 */
	public record Invocation(boolean failed, String body, @Nullable String errorType) {

	}

}
