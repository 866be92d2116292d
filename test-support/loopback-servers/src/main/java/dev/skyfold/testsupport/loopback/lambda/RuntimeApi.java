package dev.skyfold.testsupport.loopback.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;

import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;

/**
 * The Lambda Runtime API, as far as a runtime client uses it: it hands out one event per
 * {@code GET /2018-06-01/runtime/invocation/next} and takes the answer at
 * {@code .../invocation/{id}/response} or {@code .../invocation/{id}/error}; an
 * initialization failure arrives at {@code .../runtime/init/error}.
 */
final class RuntimeApi implements AutoCloseable {

	private static final String BASE = "/2018-06-01/runtime";

	private static final Pattern ANSWER = Pattern.compile(BASE + "/invocation/([^/]+)/(response|error)");

	private static final Duration POLL = Duration.ofMillis(200);

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "lambda-runtime-api");
		thread.setDaemon(true);
		return thread;
	});

	private final BlockingQueue<Pending> events = new LinkedBlockingQueue<>();

	private final Map<String, Pending> underway = new ConcurrentHashMap<>();

	private final String functionArn;

	private volatile @Nullable String initError;

	/**
	 * When the runtime client first asked for an event ({@link System#nanoTime()}), or 0.
	 */
	private volatile long firstPoll;

	private volatile boolean closed;

	RuntimeApi(String functionName) throws IOException {
		this.functionArn = "arn:aws:lambda:us-east-1:000000000000:function:" + functionName;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 16);
		this.server.setExecutor(this.executor);
		this.server.createContext(BASE, this::handle);
		this.server.start();
	}

	/** The value of {@code AWS_LAMBDA_RUNTIME_API}: host and port. */
	String address() {
		return "127.0.0.1:" + this.server.getAddress().getPort();
	}

	/** What the function reported at {@code init/error}, if it did. */
	@Nullable String initError() {
		return this.initError;
	}

	/**
	 * When the runtime client first asked for an event, having initialized the handler.
	 * @return the {@link System#nanoTime()} of its first {@code invocation/next}, or 0
	 * while it has not asked
	 */
	long firstPoll() {
		return this.firstPoll;
	}

	/** Queues an event; the future completes with the function's answer. */
	CompletableFuture<Invocation> submit(String eventJson, Duration timeout) {
		Pending pending = new Pending(UUID.randomUUID().toString(), eventJson, timeout);
		this.events.add(pending);
		return pending.answer;
	}

	@Override
	public void close() {
		this.closed = true;
		this.server.stop(0);
		this.executor.shutdownNow();
		Invocation gone = new Invocation(true, "The Runtime API closed", "Runtime.Closed");
		this.events.forEach((pending) -> pending.answer.complete(gone));
		this.underway.values().forEach((pending) -> pending.answer.complete(gone));
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String path = exchange.getRequestURI().getPath();
			String method = exchange.getRequestMethod();
			if ("GET".equals(method) && path.equals(BASE + "/invocation/next")) {
				next(exchange);
				return;
			}
			Matcher answer = ANSWER.matcher(path);
			if ("POST".equals(method) && answer.matches()) {
				answer(exchange, answer.group(1), "error".equals(answer.group(2)));
				return;
			}
			if ("POST".equals(method) && path.equals(BASE + "/init/error")) {
				this.initError = read(exchange.getRequestBody());
				send(exchange, 202, "{\"status\":\"OK\"}");
				return;
			}
			send(exchange, 404, "{\"errorMessage\":\"Unknown path " + path + "\"}");
		}
	}

	/** Long-polls like Lambda: answers once there is an event. */
	private void next(HttpExchange exchange) throws IOException {
		if (this.firstPoll == 0) {
			this.firstPoll = System.nanoTime();
		}
		Pending pending = null;
		while (pending == null && !this.closed) {
			try {
				pending = this.events.poll(POLL.toMillis(), TimeUnit.MILLISECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
		}
		if (pending == null) {
			return;
		}
		this.underway.put(pending.id, pending);
		exchange.getResponseHeaders().set("Content-Type", "application/json");
		exchange.getResponseHeaders().set("Lambda-Runtime-Aws-Request-Id", pending.id);
		exchange.getResponseHeaders()
			.set("Lambda-Runtime-Deadline-Ms", Long.toString(System.currentTimeMillis() + pending.timeout.toMillis()));
		exchange.getResponseHeaders().set("Lambda-Runtime-Invoked-Function-Arn", this.functionArn);
		exchange.getResponseHeaders()
			.set("Lambda-Runtime-Trace-Id", "Root=1-00000000-" + pending.id.replace("-", "").substring(0, 24));
		send(exchange, 200, pending.event);
	}

	private void answer(HttpExchange exchange, String id, boolean failed) throws IOException {
		String body = read(exchange.getRequestBody());
		Pending pending = this.underway.remove(id);
		if (pending == null) {
			send(exchange, 400, "{\"errorMessage\":\"Unknown request id " + id + "\"}");
			return;
		}
		String errorType = failed ? exchange.getRequestHeaders().getFirst("Lambda-Runtime-Function-Error-Type") : null;
		pending.answer.complete(new Invocation(failed, body, errorType));
		send(exchange, 202, "{\"status\":\"OK\"}");
	}

	private static String read(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}

	private static void send(HttpExchange exchange, int status, String body) throws IOException {
		byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
		exchange.sendResponseHeaders(status, (bytes.length > 0) ? bytes.length : -1);
		try (OutputStream out = exchange.getResponseBody()) {
			out.write(bytes);
		}
	}

	private record Pending(String id, String event, Duration timeout, CompletableFuture<Invocation> answer) {

		Pending(String id, String event, Duration timeout) {
			this(id, event, timeout, new CompletableFuture<>());
		}

	}

}
