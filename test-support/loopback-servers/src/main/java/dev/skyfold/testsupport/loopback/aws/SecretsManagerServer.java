package dev.skyfold.testsupport.loopback.aws;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.Function;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local AWS Secrets Manager that answers {@code GetSecretValue} in the service's own
 * protocol (AWS JSON 1.1: {@code POST /} with
 * {@code X-Amz-Target: secretsmanager.GetSecretValue}), so that the real AWS SDK can read
 * secrets from it. A test stores secrets, points the SDK at {@link #endpoint()} (for
 * example with {@code AWS_ENDPOINT_URL_SECRETS_MANAGER}) and checks the
 * {@link #requests() requests} that arrived: <pre class="code">
 * try (SecretsManagerServer secrets = SecretsManagerServer.start()) {
 * 	String arn = secrets.putSecret("skyfold/fcm", keyJson);
 * 	// ... read it through the SDK ...
 * 	assertThat(secrets.requests()).singleElement()...
 * }
 * </pre> A secret is found by its name or its full ARN; any other secret gets
 * {@code ResourceNotFoundException} with HTTP 400, as AWS answers. It listens on a free
 * port of {@code 127.0.0.1}, plain HTTP, and does not check request signatures (it
 * records the {@code Authorization} header instead).
 */
public final class SecretsManagerServer implements AutoCloseable {

	/** The region of the ARNs this server makes up. */
	public static final String REGION = "us-east-1";

	/** The account of the ARNs this server makes up. */
	public static final String ACCOUNT = "123456789012";

	/** The operation this server answers, as the {@code X-Amz-Target} header names it. */
	public static final String GET_SECRET_VALUE = "secretsmanager.GetSecretValue";

	private static final String CONTENT_TYPE = "application/x-amz-json-1.1";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "secrets-manager-server");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, Answer> secrets = new ConcurrentHashMap<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private SecretsManagerServer() throws IOException {
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/**
	 * Starts a server that holds no secret yet.
	 * @return the running server; close it when done
	 * @throws IOException when it cannot listen
	 */
	public static SecretsManagerServer start() throws IOException {
		return new SecretsManagerServer();
	}

	/**
	 * Where the SDK sends its requests.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public URI endpoint() {
		return URI.create("http://127.0.0.1:" + this.server.getAddress().getPort());
	}

	/**
	 * Stores a secret whose value is text, replacing any secret of that name.
	 * @param name the secret's name, such as {@code skyfold/fcm}
	 * @param secretString its value
	 * @return the secret's ARN, which finds it as well as its name does
	 */
	public String putSecret(String name, String secretString) {
		return put(name, (arn) -> secretValue(arn, name).put("SecretString", secretString));
	}

	/**
	 * Stores a secret whose value is binary ({@code SecretBinary}, no
	 * {@code SecretString}), replacing any secret of that name.
	 * @param name the secret's name
	 * @param secretBinary its value
	 * @return the secret's ARN
	 */
	public String putBinarySecret(String name, byte[] secretBinary) {
		return put(name,
				(arn) -> secretValue(arn, name).put("SecretBinary", Base64.getEncoder().encodeToString(secretBinary)));
	}

	/**
	 * Makes every read of a secret fail as AWS fails it, such as with
	 * {@code AccessDeniedException} when the caller's role may not read it, replacing any
	 * secret of that name.
	 * @param name the secret's name
	 * @param errorType the error's type, the {@code __type} of the answer
	 * @param message the error's message
	 * @return the secret's ARN
	 */
	public String refuse(String name, String errorType, String message) {
		return put(name, (arn) -> error(errorType, message));
	}

	/**
	 * The requests that arrived so far, in order, whatever was answered.
	 * @return the requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	/**
	 * Stops the server.
	 */
	@Override
	public void close() {
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private String put(String name, Function<String, ObjectNode> answer) {
		if (name.isBlank() || name.startsWith("arn:")) {
			throw new IllegalArgumentException("A secret name, not '" + name + "'");
		}
		String arn = "arn:aws:secretsmanager:" + REGION + ":" + ACCOUNT + ":secret:" + name + "-" + suffix();
		this.secrets.entrySet().removeIf((entry) -> entry.getValue().name().equals(name));
		Answer stored = new Answer(name, answer.apply(arn));
		this.secrets.put(name, stored);
		this.secrets.put(arn, stored);
		return arn;
	}

	private static ObjectNode secretValue(String arn, String name) {
		ObjectNode value = json.createObjectNode();
		value.put("ARN", arn);
		value.put("Name", name);
		value.put("VersionId", UUID.randomUUID().toString());
		value.putArray("VersionStages").add("AWSCURRENT");
		value.put("CreatedDate", System.currentTimeMillis() / 1000.0);
		return value;
	}

	private static ObjectNode error(String type, String message) {
		ObjectNode error = json.createObjectNode();
		error.put("__type", type);
		error.put("message", message);
		return error;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			String body = read(exchange.getRequestBody());
			String target = exchange.getRequestHeaders().getFirst("X-Amz-Target");
			String contentType = exchange.getRequestHeaders().getFirst("Content-Type");
			JsonNode request = parse(body);
			String secretId = (request != null && request.path("SecretId").isString())
					? request.path("SecretId").asString() : null;
			this.requests.add(new RecordedRequest(exchange.getRequestMethod(), exchange.getRequestURI().getPath(),
					target, contentType, secretId, exchange.getRequestHeaders().getFirst("Authorization"), body));
			if (!"POST".equals(exchange.getRequestMethod()) || !"/".equals(exchange.getRequestURI().getPath())) {
				write(exchange, 404, error("UnknownOperationException", "POST / only"));
			}
			else if (!GET_SECRET_VALUE.equals(target)) {
				write(exchange, 400, error("UnknownOperationException", "Unknown operation " + target));
			}
			else if (contentType == null || !contentType.startsWith(CONTENT_TYPE) || request == null) {
				write(exchange, 400, error("SerializationException", "Expected a JSON body of type " + CONTENT_TYPE));
			}
			else if (secretId == null || secretId.isEmpty()) {
				write(exchange, 400, error("InvalidParameterException", "SecretId is required"));
			}
			else {
				Answer answer = this.secrets.get(secretId);
				if (answer == null) {
					write(exchange, 400,
							error("ResourceNotFoundException", "Secrets Manager can't find the specified secret."));
				}
				else {
					write(exchange, answer.body().has("__type") ? 400 : 200, answer.body());
				}
			}
		}
	}

	private static @Nullable JsonNode parse(String body) {
		try {
			JsonNode node = json.readTree(body);
			return (node != null && node.isObject()) ? node : null;
		}
		catch (JacksonException ex) {
			return null;
		}
	}

	private static String read(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}

	private static void write(HttpExchange exchange, int status, JsonNode body) throws IOException {
		byte[] bytes = json.writeValueAsBytes(body);
		exchange.getResponseHeaders().set("Content-Type", CONTENT_TYPE);
		exchange.getResponseHeaders().set("x-amzn-RequestId", UUID.randomUUID().toString());
		if (body.has("__type")) {
			exchange.getResponseHeaders().set("X-Amzn-ErrorType", body.path("__type").asString());
		}
		exchange.sendResponseHeaders(status, bytes.length);
		exchange.getResponseBody().write(bytes);
	}

	/** The six random characters AWS appends to a secret's name in its ARN. */
	private static String suffix() {
		String alphabet = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789";
		StringBuilder suffix = new StringBuilder();
		for (int i = 0; i < 6; i++) {
			suffix.append(alphabet.charAt(ThreadLocalRandom.current().nextInt(alphabet.length())));
		}
		return suffix.toString();
	}

	private record Answer(String name, ObjectNode body) {
	}

	/**
	 * A request as the server received it.
	 *
	 * @param method the HTTP method
	 * @param path the request path
	 * @param target the {@code X-Amz-Target} header, the operation, if any
	 * @param contentType the {@code Content-Type} header, if any
	 * @param secretId the {@code SecretId} of the JSON body, if any
	 * @param authorization the {@code Authorization} header, the SDK's signature, if any
	 * @param body the request body
	 */
	public record RecordedRequest(String method, String path, @Nullable String target, @Nullable String contentType,
			@Nullable String secretId, @Nullable String authorization, String body) {

		/**
		 * The credential scope of the request's Signature Version 4 signature, such as
		 * {@code AKID/20250501/us-east-1/secretsmanager/aws4_request}.
		 * @return the scope, or {@code null} when the request was not signed so
		 */
		public @Nullable String credentialScope() {
			String prefix = "AWS4-HMAC-SHA256 Credential=";
			if (this.authorization == null || !this.authorization.startsWith(prefix)) {
				return null;
			}
			int end = this.authorization.indexOf(',', prefix.length());
			return this.authorization.substring(prefix.length(), (end > 0) ? end : this.authorization.length());
		}

	}

}
