package dev.skyfold.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublisher;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local app's HTTP API as its users call it, over a real connection on loopback: the
 * bucket under {@code /objects}, the functions under {@code /fn} and the actuator.
 */
final class LocalApi {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Duration TIMEOUT = Duration.ofSeconds(60);

	private final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private final String base;

	private final @Nullable String client;

	private @Nullable String token;

	/**
	 * The API as the test admin script calls it, with a token of the embedded issuer.
	 * @param port the app's port
	 */
	LocalApi(int port) {
		this(port, "test-admin");
	}

	private LocalApi(int port, @Nullable String client) {
		this.base = "http://127.0.0.1:" + port;
		this.client = client;
	}

	/**
	 * The API as one of the test scripts calls it ({@code test-viewer},
	 * {@code test-member} or {@code test-admin}, whose secret is its role followed by
	 * {@code -secret}).
	 * @param port the app's port
	 * @param client the client id
	 * @return the API
	 */
	static LocalApi as(int port, String client) {
		return new LocalApi(port, client);
	}

	/**
	 * The API as a caller that is not signed in.
	 * @param port the app's port
	 * @return the API
	 */
	static LocalApi anonymous(int port) {
		return new LocalApi(port, null);
	}

	/**
	 * The API with a given bearer token, whatever it holds.
	 * @param port the app's port
	 * @param token the token
	 * @return the API
	 */
	static LocalApi withToken(int port, String token) {
		LocalApi api = new LocalApi(port, null);
		api.token = token;
		return api;
	}

	/**
	 * A token for a client of the embedded issuer, by the client-credentials grant.
	 * @param client the client id
	 * @param secret its secret
	 * @return the access token
	 */
	String tokenFor(String client, String secret) {
		HttpResponse<byte[]> response = send(HttpRequest.newBuilder(URI.create(this.base + "/oauth2/token"))
			.timeout(TIMEOUT)
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((client + ":" + secret).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("grant_type=client_credentials")));
		assertThat(response.statusCode()).as("token for %s: %s", client, text(response)).isEqualTo(200);
		return json(response).path("access_token").asString();
	}

	/**
	 * The Authorization header's value for this caller, for requests made by hand.
	 * @return {@code Bearer} and the token
	 */
	String authorization() {
		return "Bearer " + token();
	}

	private @Nullable String token() {
		if (this.token == null && this.client != null) {
			this.token = tokenFor(this.client, this.client.substring("test-".length()) + "-secret");
		}
		return this.token;
	}

	/**
	 * The path of an object, each key segment percent-encoded as a careful client does:
	 * spaces and non-ASCII as UTF-8 escapes, and {@code ;} (which servers read as matrix
	 * parameters) escaped; {@code +} and the other characters a path may carry are sent
	 * as they are.
	 * @param key the object key
	 * @return the raw path, such as {@code /objects/a%20b/c+d.png}
	 */
	static String objectPath(String key) {
		return "/objects/" + encode(key, "/+!$&'()*,=:@");
	}

	/**
	 * Percent-encodes text for a URI: unreserved characters and the given others stay,
	 * everything else becomes UTF-8 escapes.
	 * @param text the text
	 * @param kept the characters beyond the unreserved ones to send as they are
	 * @return the encoded text
	 */
	static String encode(String text, String kept) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0
					|| kept.indexOf(c) >= 0) {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format(Locale.ROOT, "%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

	HttpResponse<byte[]> put(String key, byte[] content, String contentType) {
		return putRaw(objectPath(key), content, contentType);
	}

	HttpResponse<byte[]> putRaw(String rawPath, byte[] content, String contentType) {
		return send(request(rawPath).header("Content-Type", contentType).PUT(BodyPublishers.ofByteArray(content)));
	}

	HttpResponse<byte[]> get(String key) {
		return getRaw(objectPath(key));
	}

	HttpResponse<byte[]> getRaw(String rawPathAndQuery) {
		return send(request(rawPathAndQuery).GET());
	}

	HttpResponse<byte[]> post(String function, byte[] body, String contentType) {
		return post(function, BodyPublishers.ofByteArray(body), contentType);
	}

	HttpResponse<byte[]> post(String function, BodyPublisher body, String contentType) {
		return send(request("/fn/" + function).header("Content-Type", contentType).POST(body));
	}

	HttpResponse<byte[]> postJson(String function, String json) {
		return post(function, json.getBytes(StandardCharsets.UTF_8), "application/json");
	}

	HttpResponse<byte[]> send(HttpRequest.Builder request) {
		try {
			return sendOrFail(request);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	HttpResponse<byte[]> sendOrFail(HttpRequest.Builder request) throws IOException {
		try {
			return this.http.send(request.build(), BodyHandlers.ofByteArray());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	HttpRequest.Builder request(String rawPathAndQuery) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(this.base + rawPathAndQuery)).timeout(TIMEOUT);
		String token = token();
		return (token != null) ? request.header("Authorization", "Bearer " + token) : request;
	}

	/**
	 * Lists the bucket.
	 * @param prefix the key prefix
	 * @return the listing's JSON
	 */
	JsonNode list(String prefix) {
		HttpResponse<byte[]> response = getRaw("/objects?prefix=" + encode(prefix, "/"));
		assertThat(response.statusCode()).as("GET /objects?prefix=%s: %s", prefix, text(response)).isEqualTo(200);
		return json(response);
	}

	/**
	 * The keys listed under a prefix.
	 * @param prefix the key prefix
	 * @return the keys, in the order listed
	 */
	List<String> keysUnder(String prefix) {
		List<String> keys = new ArrayList<>();
		list(prefix).path("objects").values().forEach((object) -> keys.add(object.path("key").asString()));
		return keys;
	}

	/**
	 * How many invocations the {@code spring.cloud.function} timer counted with the given
	 * tags.
	 * @param tags tags as {@code name:value}
	 * @return the count, 0 when no invocation matched
	 */
	long functionInvocations(String... tags) {
		JsonNode metric = functionMetric(tags);
		if (metric == null) {
			return 0;
		}
		for (JsonNode measurement : metric.path("measurements").values()) {
			if ("COUNT".equals(measurement.path("statistic").asString())) {
				return (long) measurement.path("value").asDouble();
			}
		}
		return 0;
	}

	/**
	 * The {@code spring.cloud.function} timer as the metrics endpoint shows it.
	 * @param tags tags to filter by, as {@code name:value}
	 * @return its JSON, or {@code null} when nothing matches the tags
	 */
	JsonNode functionMetric(String... tags) {
		StringBuilder path = new StringBuilder("/actuator/metrics/spring.cloud.function");
		for (int i = 0; i < tags.length; i++) {
			path.append((i == 0) ? '?' : '&').append("tag=").append(tags[i]);
		}
		HttpResponse<byte[]> response = getRaw(path.toString());
		if (response.statusCode() == 404) {
			return null;
		}
		assertThat(response.statusCode()).as("GET %s: %s", path, text(response)).isEqualTo(200);
		return json(response);
	}

	/**
	 * The values the metrics endpoint lists for a tag of the
	 * {@code spring.cloud.function} timer.
	 * @param tag the tag's name
	 * @return its values
	 */
	List<String> functionTagValues(String tag) {
		List<String> values = new ArrayList<>();
		JsonNode metric = functionMetric();
		if (metric != null) {
			for (JsonNode available : metric.path("availableTags").values()) {
				if (tag.equals(available.path("tag").asString())) {
					available.path("values").values().forEach((value) -> values.add(value.asString()));
				}
			}
		}
		return values;
	}

	/**
	 * The status the health endpoint reports.
	 * @return the status, such as {@code UP}
	 */
	String health() {
		HttpResponse<byte[]> response = getRaw("/actuator/health");
		return json(response).path("status").asString();
	}

	static JsonNode json(HttpResponse<byte[]> response) {
		try {
			return JSON.readTree(response.body());
		}
		catch (RuntimeException ex) {
			throw new AssertionError("Expected JSON from " + response.request().method() + " " + response.uri() + " ("
					+ response.statusCode() + "), got: " + text(response), ex);
		}
	}

	static String text(HttpResponse<byte[]> response) {
		String body = new String(response.body(), StandardCharsets.UTF_8);
		return (body.length() > 2000) ? body.substring(0, 2000) + "…" : body;
	}

	static String contentType(HttpResponse<byte[]> response) {
		return response.headers().firstValue("Content-Type").orElse("");
	}

	/**
	 * Asserts that a response is an RFC 9457 problem with the given status, a title and a
	 * detail, and no trace of the server's internals.
	 * @param response the response
	 * @param status the expected status
	 * @return the problem's JSON
	 */
	static JsonNode assertProblem(HttpResponse<byte[]> response, int status) {
		String what = response.request().method() + " " + response.uri() + " answered " + response.statusCode() + " "
				+ contentType(response) + ": " + text(response);
		assertThat(response.statusCode()).as(what).isEqualTo(status);
		assertThat(contentType(response)).as(what).startsWith("application/problem+json");
		JsonNode problem = json(response);
		assertProblemBody(problem, status, what);
		return problem;
	}

	/**
	 * Asserts that a JSON node is a problem with the given status, a title and a detail,
	 * and no trace of the server's internals.
	 * @param problem the problem's JSON
	 * @param status the expected status
	 * @param what what to say when it is not
	 */
	static void assertProblemBody(JsonNode problem, int status, String what) {
		assertThat(problem.path("status").asInt()).as(what).isEqualTo(status);
		assertThat(problem.path("title").asString("")).as("title of " + what).isNotBlank();
		assertThat(problem.path("detail").asString("")).as("detail of " + what).isNotBlank();
		String body = problem.toString();
		assertThat(body).as("no internals in " + what)
			.doesNotContain("Exception")
			.doesNotContain("\tat ")
			.doesNotContain("\\tat ")
			.doesNotContain("trace");
	}

}
