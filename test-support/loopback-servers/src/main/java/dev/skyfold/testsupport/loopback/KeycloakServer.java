package dev.skyfold.testsupport.loopback;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A throwaway Keycloak for integration tests that need a real OpenID Connect provider:
 * Keycloak's Quarkus distribution run by its own {@code bin/kc.sh start-dev} as a child
 * process, listening on a free port of {@code 127.0.0.1} only, with the given realms
 * imported into a fresh database, and stopped afterwards with the processes it started.
 * <p>
 * Register it on a static field to get one server per test class: <pre class="code">
 * &#64;RegisterExtension
 * static final KeycloakServer keycloak = new KeycloakServer(Path.of("src/test/resources/keycloak/realm.json"));
 *
 * String issuer = keycloak.issuerUri("skyfold");
 * String token = keycloak.passwordGrant("skyfold", "tests", null, "kim", "secret");
 * </pre> or drive it by hand with {@link #start()} and {@link #close()}
 * (try-with-resources). {@link #start()} returns once every realm publishes its discovery
 * document; that takes half a minute or so, and a minute or more the first time a
 * distribution runs in development mode, when Keycloak builds itself for it (into the
 * distribution's {@code lib/quarkus}: let one server start first when several use a new
 * distribution).
 * <p>
 * The distribution is the unpacked {@code org.keycloak:keycloak-quarkus-dist} zip that
 * the system property {@value #HOME_PROPERTY} names (modules unpack it with
 * {@code maven-dependency-plugin} and point Failsafe's {@code systemPropertyVariables} at
 * it), or the one given to {@link #ofDistribution(Path, Path...)}. It is not changed but
 * for that build: each server runs from a folder of its own, which links to the
 * distribution's libraries and holds its own {@code data} (database, imported realms).
 * Keycloak needs Java 21 or newer: the JDK in {@code $SKYFOLD_KEYCLOAK_JAVA_HOME} when
 * set, else {@code /usr/lib/jvm/temurin-25-jdk-amd64}, else this JVM's when it is recent
 * enough. When the distribution or such a JDK is missing the tests are skipped, or fail
 * when the environment variable {@code CI} is {@code true}.
 */
public final class KeycloakServer extends LoopbackProcessServer<KeycloakServer> {

	/** The system property that names the unpacked distribution. */
	public static final String HOME_PROPERTY = "skyfold.keycloak.home";

	/** The environment variable that names the JDK that runs Keycloak. */
	public static final String JAVA_HOME_VARIABLE = "SKYFOLD_KEYCLOAK_JAVA_HOME";

	/** The administrator of the {@code master} realm. */
	public static final String ADMIN_USERNAME = "admin";

	/** The administrator's password, fine for a server that only loopback reaches. */
	public static final String ADMIN_PASSWORD = "admin";

	private static final Path PREFERRED_JDK = Path.of("/usr/lib/jvm/temurin-25-jdk-amd64");

	private static final int MINIMUM_JAVA = 21;

	private static final Pattern REALM_NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9_-]*");

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final @Nullable Path configuredHome;

	private final Map<String, Path> realms;

	private @Nullable Path home;

	private @Nullable Path javaHome;

	/**
	 * Creates a server, not started yet, of the distribution that the system property
	 * {@value #HOME_PROPERTY} names.
	 * @param realmFiles realm exports to import, each a JSON file with a {@code realm}
	 * name
	 */
	public KeycloakServer(Path... realmFiles) {
		this(null, List.of(realmFiles));
	}

	private KeycloakServer(@Nullable Path home, List<Path> realmFiles) {
		super("Keycloak", "skyfold-keycloak-", Duration.ofSeconds(240));
		this.configuredHome = home;
		Map<String, Path> realms = new LinkedHashMap<>();
		for (Path file : realmFiles) {
			realms.put(realmName(file), file);
		}
		this.realms = Map.copyOf(realms);
	}

	/**
	 * Creates a server, not started yet, of a given distribution.
	 * @param home the unpacked distribution, the folder holding {@code bin/kc.sh}
	 * @param realmFiles realm exports to import, each a JSON file with a {@code realm}
	 * name
	 * @return the server
	 */
	public static KeycloakServer ofDistribution(Path home, Path... realmFiles) {
		return new KeycloakServer(home, List.of(realmFiles));
	}

	/**
	 * The address of the server, where its realms are under {@code /realms}.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI baseUri() {
		return URI.create("http://" + LOOPBACK + ":" + port());
	}

	/**
	 * The issuer of a realm's tokens, as {@code iss} names it and as
	 * {@code spring.security.oauth2.resourceserver.jwt.issuer-uri} wants it.
	 * @param realm the realm
	 * @return {@code http://127.0.0.1:<port>/realms/<realm>}
	 */
	public String issuerUri(String realm) {
		return issuerUri(port(), realm);
	}

	/**
	 * Signs a user of a realm in with the resource owner password grant (the client needs
	 * direct access grants enabled) and returns the access token.
	 * @param realm the realm
	 * @param clientId the client
	 * @param clientSecret the client's secret, {@code null} for a public client
	 * @param username the user
	 * @param password the user's password
	 * @return the access token, a JWT
	 * @throws IllegalStateException when Keycloak refuses
	 */
	public String passwordGrant(String realm, String clientId, @Nullable String clientSecret, String username,
			String password) {
		return tokenResponse(realm, clientId, clientSecret, username, password).path("access_token").asString();
	}

	/**
	 * Signs a user of a realm in with the resource owner password grant and returns
	 * Keycloak's whole answer, with the ID token too since it asks for the {@code openid}
	 * scope.
	 * @param realm the realm
	 * @param clientId the client
	 * @param clientSecret the client's secret, {@code null} for a public client
	 * @param username the user
	 * @param password the user's password
	 * @return the token response: {@code access_token}, {@code id_token} and so on
	 * @throws IllegalStateException when Keycloak refuses
	 */
	public JsonNode tokenResponse(String realm, String clientId, @Nullable String clientSecret, String username,
			String password) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "password");
		form.put("client_id", clientId);
		if (clientSecret != null) {
			form.put("client_secret", clientSecret);
		}
		form.put("username", username);
		form.put("password", password);
		form.put("scope", "openid");
		String body = form.entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
		URI tokenEndpoint = URI.create(issuerUri(realm) + "/protocol/openid-connect/token");
		HttpResponse<String> response = send(HttpRequest.newBuilder(tokenEndpoint)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body)));
		if (response.statusCode() != 200) {
			throw new IllegalStateException("Keycloak refused a token for " + username + " of client " + clientId
					+ " in realm " + realm + ": HTTP " + response.statusCode() + " " + response.body());
		}
		return JSON.readTree(response.body());
	}

	@Override
	protected void prepare() {
		this.home = findHome();
		this.javaHome = findJavaHome();
	}

	/**
	 * Lays out the server's own Keycloak folder: a copy of {@code bin} (so that
	 * {@code kc.sh} takes this folder for Keycloak's home), links to the rest of the
	 * distribution, and the realms in {@code data/import}.
	 */
	@Override
	protected void initialize(Path folder) throws IOException {
		Path source = requireRunning(this.home);
		Path target = keycloakFolder(folder);
		Files.createDirectories(target);
		try (Stream<Path> entries = Files.list(source)) {
			for (Path entry : entries.toList()) {
				String name = entry.getFileName().toString();
				if (name.equals("bin")) {
					copyFolder(entry, target.resolve(name));
				}
				else if (!name.equals("data")) {
					Files.createSymbolicLink(target.resolve(name), entry.toAbsolutePath());
				}
			}
		}
		Path imports = Files.createDirectories(target.resolve("data").resolve("import"));
		for (Map.Entry<String, Path> realm : this.realms.entrySet()) {
			Files.copy(realm.getValue(), imports.resolve(realm.getKey() + "-realm.json"));
		}
	}

	@Override
	protected List<String> command(Path folder, int port) {
		return List.of(keycloakFolder(folder).resolve("bin").resolve("kc.sh").toString(), "start-dev",
				"--http-port=" + port, "--http-host=" + LOOPBACK, "--import-realm");
	}

	@Override
	protected void environment(Path folder, int port, Map<String, String> environment) {
		// Nothing of the developer's own settings, such as a database, a hostname or a
		// java that kc.sh would prefer to JAVA_HOME's.
		environment.keySet()
			.removeIf((name) -> name.startsWith("KC_") || name.startsWith("JAVA_OPTS") || name.equals("JAVA")
					|| name.equals("JAVA_ADD_OPENS") || name.equals("DEBUG"));
		environment.put("JAVA_HOME", requireRunning(this.javaHome).toString());
		environment.put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USERNAME);
		environment.put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
		// Java 24 and later otherwise log an error on shutdown.
		environment.put("JAVA_OPTS_APPEND", "--add-opens=java.base/java.lang=ALL-UNNAMED");
		environment.put("KC_LOG_CONSOLE_COLOR", "false");
	}

	@Override
	protected void probe(int port) throws IOException, InterruptedException {
		for (String realm : this.realms.isEmpty() ? List.of("master") : this.realms.keySet()) {
			String issuer = issuerUri(port, realm);
			HttpResponse<String> answer = probeHttp(
					HttpRequest.newBuilder(URI.create(issuer + "/.well-known/openid-configuration")));
			if (answer.statusCode() != 200 || !issuer.equals(JSON.readTree(answer.body()).path("issuer").asString())) {
				throw new IOException("not the discovery document of realm " + realm + ": HTTP " + answer.statusCode());
			}
		}
	}

	/**
	 * Stops Keycloak and what {@code kc.sh} started: a termination signal to each, which
	 * Keycloak answers with a graceful shutdown, then a kill.
	 */
	@Override
	protected void stop(Process running, Path folder) {
		List<ProcessHandle> processes = new ArrayList<>(running.descendants().toList());
		processes.add(running.toHandle());
		processes.forEach(ProcessHandle::destroy);
		long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
		try {
			for (ProcessHandle process : processes) {
				long left = Math.max(0, deadline - System.nanoTime());
				try {
					process.onExit().get(left, TimeUnit.NANOSECONDS);
				}
				catch (TimeoutException | ExecutionException ex) {
					process.destroyForcibly();
				}
			}
			running.waitFor(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			processes.forEach(ProcessHandle::destroyForcibly);
			Thread.currentThread().interrupt();
		}
	}

	private Path findHome() {
		Path home = this.configuredHome;
		String hint = "unpack org.keycloak:keycloak-quarkus-dist (zip) with maven-dependency-plugin before the"
				+ " integration tests ('./mvnw verify') and name the folder holding bin/kc.sh in the system property "
				+ HOME_PROPERTY;
		if (home == null) {
			String property = System.getProperty(HOME_PROPERTY);
			if (property == null || property.isBlank()) {
				throw unavailable("The system property " + HOME_PROPERTY + " is not set: " + hint);
			}
			home = Path.of(property);
		}
		if (!Files.isRegularFile(home.resolve("bin").resolve("kc.sh"))
				|| !Files.isDirectory(home.resolve("lib").resolve("quarkus"))) {
			throw unavailable("No Keycloak distribution at " + home + ": " + hint);
		}
		return home.toAbsolutePath();
	}

	private Path findJavaHome() {
		String hint = "install a JDK " + MINIMUM_JAVA + " or newer (such as Temurin 25 at " + PREFERRED_JDK
				+ ") and name it in the environment variable " + JAVA_HOME_VARIABLE;
		String configured = System.getenv(JAVA_HOME_VARIABLE);
		if (configured != null && !configured.isBlank()) {
			Path jdk = Path.of(configured);
			int version = javaVersion(jdk);
			if (version < MINIMUM_JAVA) {
				throw unavailable(JAVA_HOME_VARIABLE + " names " + jdk + ", which is "
						+ ((version > 0) ? "Java " + version : "not a JDK") + "; Keycloak needs Java " + MINIMUM_JAVA
						+ " or newer: " + hint);
			}
			return jdk;
		}
		if (javaVersion(PREFERRED_JDK) >= MINIMUM_JAVA) {
			return PREFERRED_JDK;
		}
		if (Runtime.version().feature() >= MINIMUM_JAVA) {
			return Path.of(System.getProperty("java.home"));
		}
		throw unavailable("Keycloak needs Java " + MINIMUM_JAVA + " or newer, and this JVM is Java "
				+ Runtime.version().feature() + ": " + hint);
	}

	/**
	 * The feature version of a JDK, from its {@code release} file.
	 * @return the version, 0 when the folder holds no JDK
	 */
	private static int javaVersion(Path jdk) {
		Path release = jdk.resolve("release");
		if (!Files.isExecutable(jdk.resolve("bin").resolve("java")) || !Files.isRegularFile(release)) {
			return 0;
		}
		Properties properties = new Properties();
		try (BufferedReader in = Files.newBufferedReader(release, StandardCharsets.UTF_8)) {
			properties.load(in);
		}
		catch (IOException ex) {
			return 0;
		}
		String version = properties.getProperty("JAVA_VERSION", "").replace("\"", "");
		try {
			return Runtime.Version.parse(version).feature();
		}
		catch (IllegalArgumentException ex) {
			return 0;
		}
	}

	private static String realmName(Path file) {
		try {
			String realm = JSON.readTree(Files.readString(file, StandardCharsets.UTF_8)).path("realm").asString("");
			if (!REALM_NAME.matcher(realm).matches()) {
				throw new IllegalArgumentException("The realm export " + file + " names no realm: '" + realm + "'");
			}
			return realm;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read the realm export " + file, ex);
		}
	}

	private static String issuerUri(int port, String realm) {
		return "http://" + LOOPBACK + ":" + port + "/realms/" + realm;
	}

	private static Path keycloakFolder(Path folder) {
		return folder.resolve("keycloak");
	}

	private static void copyFolder(Path source, Path target) throws IOException {
		Files.walkFileTree(source, new SimpleFileVisitor<>() {
			@Override
			public FileVisitResult preVisitDirectory(Path directory, BasicFileAttributes attributes)
					throws IOException {
				Files.createDirectories(target.resolve(source.relativize(directory).toString()));
				return FileVisitResult.CONTINUE;
			}

			@Override
			public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
				Files.copy(file, target.resolve(source.relativize(file).toString()),
						StandardCopyOption.COPY_ATTRIBUTES);
				return FileVisitResult.CONTINUE;
			}
		});
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) {
		try {
			return HTTP.send(request.timeout(Duration.ofSeconds(30)).build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Keycloak did not answer", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Keycloak", ex);
		}
	}

}
