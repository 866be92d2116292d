package dev.skyfold.local.benchmark;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import dev.skyfold.testsupport.loopback.PostgresServer;
import dev.skyfold.testsupport.loopback.RedisServer;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.util.FileSystemUtils;

/**
 * Chaos benchmark of the local app (not a test: it prints figures and never fails on
 * them). Two parts, on the packaged jar:
 * <ol>
 * <li><b>kill -9</b>, on the embedded store: posters post without pause while the app is
 * killed with SIGKILL at a random moment, round after round; a post whose answer never
 * came is sent again, with the same client message id, once the app is back. Prints the
 * messages acknowledged, stored, lost (acknowledged, not stored) and duplicated.</li>
 * <li><b>outages</b>, scaled out: two instances on one PostgreSQL and one Redis; posters
 * post to both, each instance has a live stream open, and Redis, then PostgreSQL, are
 * stopped and started again, round after round, while probes ask liveness and the sign-in
 * page. Prints the same counts, the messages each stream saw live (and its resync
 * signals), post answers by status, and latency p50/p99/max of the posts and of the
 * unaffected probes.</li>
 * </ol>
 * Usage: {@code ChaosBenchmark JAR KILL_ROUNDS OUTAGE_ROUNDS OUTAGE_SECONDS}; run by
 * {@code infra/local/benchmark/chaos.sh}. Needs Debian's {@code postgresql} and
 * {@code redis-server} for the outages.
 */
public final class ChaosBenchmark {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

	private static final Duration REQUEST_TIMEOUT = Duration.ofSeconds(30);

	private static final String SECRET = "chaos-" + Long.toHexString(new Random().nextLong());

	private static final Random RANDOM = new Random();

	private ChaosBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]).toAbsolutePath();
		int killRounds = Integer.parseInt(args[1]);
		int outageRounds = Integer.parseInt(args[2]);
		Duration outage = Duration.ofSeconds(Long.parseLong(args[3]));
		Path work = Files.createTempDirectory("skyfold-chaos-");
		try {
			if (killRounds > 0) {
				kills(jar, work.resolve("kills"), killRounds);
			}
			if (outageRounds > 0) {
				outages(jar, work.resolve("outages"), outageRounds, outage);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(work.toFile());
		}
	}

	// ------------------------------------------------------------------ kill -9

	private static void kills(Path jar, Path work, int rounds) throws Exception {
		Files.createDirectories(work);
		String room = "chaos-kills";
		Map<String, String> acknowledged = new ConcurrentHashMap<>();
		Set<String> unanswered = ConcurrentHashMap.newKeySet();
		AtomicInteger posted = new AtomicInteger();
		AtomicInteger inFlight = new AtomicInteger();
		long started = System.nanoTime();
		for (int round = 0; round < rounds; round++) {
			App app = App.start(jar, work, "kill-" + round, List.of());
			List<String> retries = new ArrayList<>(unanswered);
			unanswered.clear();
			inFlight.addAndGet(retries.size());
			for (String text : retries) {
				post(app, room, text, acknowledged, unanswered, null, null);
			}
			AtomicBoolean running = new AtomicBoolean(true);
			List<Thread> posters = new ArrayList<>();
			for (int poster = 0; poster < 4; poster++) {
				String prefix = "r" + round + "-p" + poster + "-";
				posters.add(started(() -> {
					for (int n = 0; running.get(); n++) {
						posted.incrementAndGet();
						if (!post(app, room, prefix + n, acknowledged, unanswered, null, null)) {
							return;
						}
					}
				}));
			}
			Thread.sleep(2000 + RANDOM.nextInt(4000));
			app.kill();
			running.set(false);
			for (Thread poster : posters) {
				poster.join(TimeUnit.SECONDS.toMillis(60));
			}
		}
		App last = App.start(jar, work, "kill-final", List.of());
		inFlight.addAndGet(unanswered.size());
		for (String text : List.copyOf(unanswered)) {
			unanswered.remove(text);
			post(last, room, text, acknowledged, unanswered, null, null);
		}
		last.stop();
		Map<String, Integer> stored = stored(
				"jdbc:h2:file:" + work.resolve("data/.chat/messages") + ";ACCESS_MODE_DATA=r", "sa", room);
		System.out.println();
		System.out.printf("kill -9    %d rounds in %d s, 4 posters, embedded H2 store%n", rounds,
				Duration.ofNanos(System.nanoTime() - started).toSeconds());
		printCounts(posted.get(), acknowledged.keySet(), stored);
		System.out.printf("retried    %d posts whose answer a kill cut off were sent again, same client message id%n",
				inFlight.get());
	}

	// ------------------------------------------------------------------ outages

	private static void outages(Path jar, Path work, int rounds, Duration outage) throws Exception {
		Files.createDirectories(work);
		String room = "chaos-outages";
		try (PostgresServer postgres = new PostgresServer().start(); RedisServer redis = new RedisServer().start()) {
			String database = postgres.createDatabase("chaos");
			List<String> scaleOut = List.of("--spring.profiles.active=redis",
					"--spring.datasource.url=" + postgres.jdbcUrl(database),
					"--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password=",
					"--spring.data.redis.host=" + redis.host(), "--spring.data.redis.port=" + redis.port());
			App a = App.start(jar, work.resolve("a"), "outage-a", scaleOut);
			App b = App.start(jar, work.resolve("b"), "outage-b", scaleOut);
			try {
				Map<String, String> acknowledged = new ConcurrentHashMap<>();
				Set<String> unanswered = ConcurrentHashMap.newKeySet();
				Map<String, Latencies> posts = new ConcurrentHashMap<>();
				Latencies probes = new Latencies();
				Map<Integer, AtomicInteger> statuses = new ConcurrentHashMap<>();
				AtomicInteger posted = new AtomicInteger();
				AtomicBoolean running = new AtomicBoolean(true);
				AtomicReference<String> phase = new AtomicReference<>("normal");
				List<Thread> threads = new ArrayList<>();
				try (LiveStream onA = new LiveStream(a, room); LiveStream onB = new LiveStream(b, room)) {
					for (App app : List.of(a, b)) {
						String prefix = "on-" + app.name + "-";
						threads.add(started(() -> {
							for (int n = 0; running.get(); n++) {
								posted.incrementAndGet();
								post(app, room, prefix + n, acknowledged, unanswered,
										() -> posts.computeIfAbsent(phase.get(), (key) -> new Latencies()), statuses);
								pause(50);
							}
						}));
						threads.add(started(() -> {
							while (running.get()) {
								probe(app, "/actuator/health/liveness", probes);
								probe(app, "/login", probes);
								pause(100);
							}
						}));
					}
					long started = System.nanoTime();
					for (int round = 0; round < rounds; round++) {
						Thread.sleep(outage.toMillis());
						phase.set("Redis down");
						redis.stopProcess();
						Thread.sleep(outage.toMillis());
						redis.restartProcess();
						phase.set("normal");
						Thread.sleep(outage.toMillis());
						phase.set("PostgreSQL down");
						postgres.stopProcess();
						Thread.sleep(outage.toMillis());
						postgres.restartProcess();
						phase.set("normal");
					}
					Thread.sleep(outage.toMillis());
					running.set(false);
					for (Thread thread : threads) {
						thread.join(TimeUnit.SECONDS.toMillis(60));
					}
					// What is still to be relayed or retried.
					for (String text : List.copyOf(unanswered)) {
						unanswered.remove(text);
						post(text.startsWith("on-a-") ? a : b, room, text, acknowledged, unanswered,
								() -> posts.computeIfAbsent("normal", (key) -> new Latencies()), statuses);
					}
					Thread.sleep(5000);
					Map<String, Integer> stored = stored(postgres.jdbcUrl(database), PostgresServer.USER, room);
					System.out.println();
					System.out.printf(
							"outages    %d rounds in %d s: Redis down %d s, then PostgreSQL down %d s,"
									+ " two instances, posters every 50 ms on each%n",
							rounds, Duration.ofNanos(System.nanoTime() - started).toSeconds(), outage.toSeconds(),
							outage.toSeconds());
					printCounts(posted.get(), acknowledged.keySet(), stored);
					System.out.printf("answers    %s%n", new TreeMap<>(statuses));
					for (LiveStream stream : List.of(onA, onB)) {
						Set<String> seen = stream.messageIds();
						long missing = acknowledged.values().stream().filter((id) -> !seen.contains(id)).count();
						System.out.printf(
								"stream %s   %d messages seen live, %d acknowledged ones never seen, %d resync"
										+ " signal(s), %d reconnect(s)%n",
								stream.app.name, seen.size(), missing, stream.resyncs.get(), stream.reconnects.get());
					}
					new TreeMap<>(posts).forEach((name, latencies) -> System.out.printf("posts      %-16s %s%n",
							name + ":", latencies.summary()));
					System.out.println("probes     " + probes.summary() + "   (liveness and the sign-in page)");
				}
			}
			finally {
				a.stop();
				b.stop();
			}
		}
	}

	// ------------------------------------------------------------------ helpers

	/**
	 * Posts a message, noting it acknowledged on a 200; a post refused as unavailable is
	 * sent again after its {@code Retry-After}, as a client would.
	 * @return whether the app answered at all
	 */
	private static boolean post(App app, String room, String text, Map<String, String> acknowledged,
			Set<String> unanswered, Supplier<Latencies> latencies, Map<Integer, AtomicInteger> statuses) {
		String body = "{\"room\":\"" + room + "\",\"text\":\"" + text + "\",\"clientMessageId\":\"" + text + "\"}";
		for (int attempt = 0; attempt < 20; attempt++) {
			long started = System.nanoTime();
			HttpResponse<byte[]> answer;
			try {
				answer = HTTP.send(app.request("/fn/postMessage")
					.header("Content-Type", "application/json")
					.POST(BodyPublishers.ofString(body))
					.build(), BodyHandlers.ofByteArray());
			}
			catch (IOException ex) {
				unanswered.add(text);
				return false;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			if (latencies != null) {
				latencies.get().add(System.nanoTime() - started);
			}
			if (statuses != null) {
				statuses.computeIfAbsent(answer.statusCode(), (status) -> new AtomicInteger()).incrementAndGet();
			}
			if (answer.statusCode() == 200) {
				acknowledged.put(text, JSON.readTree(answer.body()).path("id").asString());
				return true;
			}
			if (answer.statusCode() != 503 && answer.statusCode() != 429) {
				return true;
			}
			pause(1000L * Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1")));
		}
		unanswered.add(text);
		return true;
	}

	private static void probe(App app, String path, Latencies latencies) {
		long started = System.nanoTime();
		try {
			HTTP.send(HttpRequest.newBuilder(app.uri(path)).timeout(REQUEST_TIMEOUT).build(),
					BodyHandlers.discarding());
			latencies.add(System.nanoTime() - started);
		}
		catch (IOException ex) {
			latencies.add(System.nanoTime() - started);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static void printCounts(int posted, Set<String> acknowledged, Map<String, Integer> stored) {
		long lost = acknowledged.stream().filter((text) -> !stored.containsKey(text)).count();
		long duplicated = stored.values().stream().filter((count) -> count > 1).count();
		System.out.printf("messages   %d posted, %d acknowledged, %d stored, %d lost, %d duplicated%n", posted,
				acknowledged.size(), stored.size(), lost, duplicated);
	}

	/** Each stored text of a room, with how many times it is stored. */
	private static Map<String, Integer> stored(String url, String user, String room) throws SQLException {
		Map<String, Integer> texts = new HashMap<>();
		try (Connection connection = DriverManager.getConnection(url, user, "");
				ResultSet rows = connection.createStatement()
					.executeQuery("SELECT body FROM chat_message WHERE room = '" + room + "'")) {
			while (rows.next()) {
				texts.merge(rows.getString(1), 1, Integer::sum);
			}
		}
		return texts;
	}

	private static void pause(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Thread started(Runnable task) {
		Thread thread = new Thread(task, "chaos");
		thread.setDaemon(true);
		thread.start();
		return thread;
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	/** One run of the packaged app, with a client of its own issuer for the benchmark. */
	private static final class App {

		private final String name;

		private final Process process;

		private final int port;

		private volatile String token;

		private App(String name, Process process, int port) {
			this.name = name;
			this.process = process;
			this.port = port;
		}

		static App start(Path jar, Path work, String name, List<String> extra) throws Exception {
			Files.createDirectories(work);
			int port = freePort();
			String java = ProcessHandle.current().info().command().orElse("java");
			List<String> command = new ArrayList<>(List.of(java, "-Xmx256m", "-jar", jar.toString(),
					"--server.address=127.0.0.1", "--server.port=" + port,
					"--skyfold.local.data=" + work.resolve("data"), "--skyfold.security.rate-limits.enabled=false",
					"--skyfold.security.clients.chaos.secret={noop}" + SECRET,
					"--skyfold.security.clients.chaos.roles=member"));
			command.addAll(extra);
			Path log = work.resolve(name + ".log");
			Process process = new ProcessBuilder(command).directory(work.toFile())
				.redirectErrorStream(true)
				.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()))
				.start();
			App app = new App(name.replaceFirst("^outage-", ""), process, port);
			long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
			while (System.nanoTime() < deadline) {
				if (!process.isAlive()) {
					throw new IllegalStateException("The app exited; see " + log);
				}
				try {
					HttpResponse<Void> health = HTTP.send(
							HttpRequest.newBuilder(app.uri("/actuator/health/liveness")).build(),
							BodyHandlers.discarding());
					if (health.statusCode() == 200) {
						app.token = app.fetchToken();
						return app;
					}
				}
				catch (IOException ex) {
					// not listening yet
				}
				Thread.sleep(200);
			}
			process.destroyForcibly();
			throw new IllegalStateException("The app did not start; see " + log);
		}

		URI uri(String path) {
			return URI.create("http://127.0.0.1:" + this.port + path);
		}

		HttpRequest.Builder request(String path) {
			return HttpRequest.newBuilder(uri(path))
				.timeout(REQUEST_TIMEOUT)
				.header("Authorization", "Bearer " + this.token);
		}

		private String fetchToken() throws IOException, InterruptedException {
			String basic = Base64.getEncoder().encodeToString(("chaos:" + SECRET).getBytes(StandardCharsets.UTF_8));
			HttpResponse<byte[]> answer = HTTP.send(HttpRequest.newBuilder(uri("/oauth2/token"))
				.header("Authorization", "Basic " + basic)
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(BodyPublishers.ofString("grant_type=client_credentials"))
				.build(), BodyHandlers.ofByteArray());
			JsonNode token = JSON.readTree(answer.body());
			return token.path("access_token").asString();
		}

		/** SIGKILL: the process gets no chance to flush or close anything. */
		void kill() throws InterruptedException {
			this.process.destroyForcibly();
			this.process.waitFor(30, TimeUnit.SECONDS);
		}

		void stop() throws InterruptedException {
			this.process.destroy();
			if (!this.process.waitFor(60, TimeUnit.SECONDS)) {
				kill();
			}
		}

	}

	/**
	 * A room's live stream on one instance, reopened when it ends; notes what it sees.
	 */
	private static final class LiveStream implements AutoCloseable {

		private final App app;

		private final String room;

		private final Set<String> ids = ConcurrentHashMap.newKeySet();

		private final AtomicInteger resyncs = new AtomicInteger();

		private final AtomicInteger reconnects = new AtomicInteger(-1);

		private final AtomicBoolean open = new AtomicBoolean(true);

		private volatile Socket socket;

		LiveStream(App app, String room) {
			this.app = app;
			this.room = room;
			started(this::follow);
		}

		Set<String> messageIds() {
			return Set.copyOf(this.ids);
		}

		private void follow() {
			while (this.open.get()) {
				this.reconnects.incrementAndGet();
				try (Socket stream = new Socket()) {
					this.socket = stream;
					stream.connect(new InetSocketAddress("127.0.0.1", this.app.port), 2000);
					OutputStream out = stream.getOutputStream();
					out.write(("GET /rooms/" + this.room + "/stream HTTP/1.0\r\nHost: 127.0.0.1:" + this.app.port
							+ "\r\n" + "Accept: text/event-stream\r\nAuthorization: Bearer " + this.app.token
							+ "\r\n\r\n")
						.getBytes(StandardCharsets.US_ASCII));
					out.flush();
					BufferedReader lines = new BufferedReader(
							new InputStreamReader(stream.getInputStream(), StandardCharsets.UTF_8));
					String event = "message";
					for (String line = lines.readLine(); line != null; line = lines.readLine()) {
						if (line.startsWith("event:")) {
							event = line.substring(6).strip();
						}
						else if (line.startsWith("id:") && event.equals("message")) {
							this.ids.add(line.substring(3).strip());
						}
						else if (line.isEmpty()) {
							if (event.equals("resync")) {
								this.resyncs.incrementAndGet();
							}
							event = "message";
						}
					}
				}
				catch (IOException ex) {
					// Reconnect below.
				}
				pause(500);
			}
		}

		@Override
		public void close() throws IOException {
			this.open.set(false);
			Socket current = this.socket;
			if (current != null) {
				current.close();
			}
		}

	}

	/** Latencies in nanoseconds, summarised as p50, p99 and max. */
	private static final class Latencies {

		private final List<Long> nanos = Collections.synchronizedList(new ArrayList<>());

		private final AtomicLong count = new AtomicLong();

		void add(long value) {
			this.nanos.add(value);
			this.count.incrementAndGet();
		}

		String summary() {
			List<Long> sorted;
			synchronized (this.nanos) {
				sorted = new ArrayList<>(this.nanos);
			}
			if (sorted.isEmpty()) {
				return "none";
			}
			Collections.sort(sorted);
			return String.format("%d requests, p50 %.1f ms, p99 %.1f ms, max %.1f ms", sorted.size(),
					millis(sorted, 0.50), millis(sorted, 0.99), sorted.get(sorted.size() - 1) / 1e6);
		}

		private static double millis(List<Long> sorted, double quantile) {
			return sorted.get(Math.min(sorted.size() - 1, (int) Math.ceil(quantile * sorted.size()) - 1)) / 1e6;
		}

	}

}
