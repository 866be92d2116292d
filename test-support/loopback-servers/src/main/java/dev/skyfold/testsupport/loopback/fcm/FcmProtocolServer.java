package dev.skyfold.testsupport.loopback.fcm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local server speaking the protocols the Firebase Admin SDK uses to send a message and
 * to manage topics: Google's OAuth2 token endpoint ({@code POST /token}, a JWT signed by
 * the service account in, a bearer token out), FCM HTTP v1 ({@code POST
 * /v1/projects/{project}/messages:send}) and the Instance ID API's topic management
 * ({@code POST /iid/v1:batchAdd} and {@code /iid/v1:batchRemove}). It records every send
 * and answers with the replies a test scripts, which may be no answer at all; it keeps
 * the topics each registration token is subscribed to, records every topic management
 * call, and answers FCM's per-token error for the tokens a test marks unregistered or
 * invalid.
 * <p>
 * Point the SDK at it with a key file from
 * {@link TestServiceAccount#writeKeyFile(java.nio.file.Path, String)} naming
 * {@link #tokenUri()}, and with FCM and Instance ID requests sent to {@link #baseUrl()}
 * instead of the SDK's own hosts (chat-notifier-fcm's {@code skyfold.chat.fcm.base-url}).
 * <pre class="code">
 * try (FcmProtocolServer fcm = FcmProtocolServer.start(account)) {
 * 	Path keyFile = account.writeKeyFile(directory, fcm.tokenUri());
 * 	// ... send through the SDK ...
 * 	assertThat(fcm.sends()).singleElement()...
 * }
 * </pre> It listens on a free port of {@code 127.0.0.1}; sends for another project than
 * the account's get a 404, sends and topic management calls without the token it handed
 * out a 401.
 */
public final class FcmProtocolServer implements AutoCloseable {

	/** The bearer token the token endpoint hands out and the send endpoint expects. */
	public static final String TOKEN = "test-token";

	/** The error the topic management answers for a token that is not registered. */
	public static final String NOT_FOUND = "NOT_FOUND";

	/** The error the topic management answers for a token that is not a token. */
	public static final String INVALID_ARGUMENT = "INVALID_ARGUMENT";

	private static final Pattern SEND_PATH = Pattern.compile("/v1/projects/([^/]+)/messages:send");

	private static final String SUBSCRIBE_PATH = "/iid/v1:batchAdd";

	private static final String UNSUBSCRIBE_PATH = "/iid/v1:batchRemove";

	private static final String TOPIC_PREFIX = "/topics/";

	private static final JsonMapper json = JsonMapper.builder().build();

	private final TestServiceAccount account;

	private final HttpServer server;

	private final List<Reply> script = new CopyOnWriteArrayList<>();

	private final List<RecordedSend> sends = new CopyOnWriteArrayList<>();

	private final AtomicInteger tokenRequests = new AtomicInteger();

	private final AtomicInteger rejectedTokenRequests = new AtomicInteger();

	private final AtomicInteger messageIds = new AtomicInteger();

	private final List<Reply> topicScript = new CopyOnWriteArrayList<>();

	private final List<TopicManagementCall> topicCalls = new CopyOnWriteArrayList<>();

	private final Map<String, Set<String>> topicsByToken = new ConcurrentHashMap<>();

	private final Map<String, String> tokenErrors = new ConcurrentHashMap<>();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final CountDownLatch closing = new CountDownLatch(1);

	private FcmProtocolServer(TestServiceAccount account) throws IOException {
		this.account = account;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/token", this::token);
		this.server.createContext("/v1/", this::send);
		this.server.createContext("/iid/", this::manageTopic);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/**
	 * Starts a server that accepts the account's signed token requests.
	 * @param account the service account whose key signs the token requests, and whose
	 * project the sends must name
	 * @return the running server; close it when done
	 * @throws IOException when it cannot listen
	 */
	public static FcmProtocolServer start(TestServiceAccount account) throws IOException {
		return new FcmProtocolServer(account);
	}

	/**
	 * Where FCM and Instance ID requests go instead of the SDK's own hosts.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String baseUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort();
	}

	/**
	 * The token endpoint, for the {@code token_uri} of a key file.
	 * @return {@code http://127.0.0.1:<port>/token}
	 */
	public String tokenUri() {
		return baseUrl() + "/token";
	}

	/**
	 * Scripts the answers to the next sends, in order; the last one answers every send
	 * after it.
	 * @param replies the replies
	 */
	public void reply(Reply... replies) {
		this.script.clear();
		this.script.addAll(Arrays.asList(replies));
	}

	/**
	 * The sends received so far, in order, whatever was answered.
	 * @return the sends
	 */
	public List<RecordedSend> sends() {
		return List.copyOf(this.sends);
	}

	/**
	 * How many token requests arrived, accepted or not.
	 * @return the number of token requests
	 */
	public int tokenRequests() {
		return this.tokenRequests.get();
	}

	/**
	 * How many token requests were refused: not a JWT-bearer grant, not signed by the
	 * account, or with the wrong issuer, audience or scope.
	 * @return the number of refused token requests
	 */
	public int rejectedTokenRequests() {
		return this.rejectedTokenRequests.get();
	}

	/**
	 * Scripts the answers to the next topic management calls, in order; the last one
	 * answers every call after it. {@link Reply#ok()} answers each token as usual; any
	 * other reply is the answer to the whole call, and changes no subscription.
	 * @param replies the replies
	 */
	public void replyToTopicManagement(Reply... replies) {
		this.topicScript.clear();
		this.topicScript.addAll(Arrays.asList(replies));
	}

	/**
	 * Answers every later topic management call naming these tokens with
	 * {@value #NOT_FOUND} for them, as FCM does for a token whose app was uninstalled.
	 * @param tokens the tokens
	 */
	public void markUnregistered(String... tokens) {
		for (String token : tokens) {
			this.tokenErrors.put(token, NOT_FOUND);
		}
	}

	/**
	 * Answers every later topic management call naming these tokens with
	 * {@value #INVALID_ARGUMENT} for them, as FCM does for a token it cannot read.
	 * @param tokens the tokens
	 */
	public void markInvalid(String... tokens) {
		for (String token : tokens) {
			this.tokenErrors.put(token, INVALID_ARGUMENT);
		}
	}

	/**
	 * Subscribes a token to a topic, as if an earlier call had.
	 * @param topic the topic, without {@code /topics/}
	 * @param token the registration token
	 */
	public void subscribe(String topic, String token) {
		this.topicsByToken.computeIfAbsent(token, (key) -> ConcurrentHashMap.newKeySet()).add(topic);
	}

	/**
	 * The tokens subscribed to a topic.
	 * @param topic the topic, without {@code /topics/}
	 * @return the tokens, sorted
	 */
	public Set<String> subscribers(String topic) {
		Set<String> tokens = new TreeSet<>();
		this.topicsByToken.forEach((token, topics) -> {
			if (topics.contains(topic)) {
				tokens.add(token);
			}
		});
		return tokens;
	}

	/**
	 * The topics a token is subscribed to.
	 * @param token the registration token
	 * @return the topics, without {@code /topics/}, sorted
	 */
	public Set<String> topicsOf(String token) {
		return new TreeSet<>(this.topicsByToken.getOrDefault(token, Set.of()));
	}

	/**
	 * The topic management calls received so far, in order, whatever was answered.
	 * @return the calls
	 */
	public List<TopicManagementCall> topicManagementCalls() {
		return List.copyOf(this.topicCalls);
	}

	/**
	 * Stops the server; a stalled send is answered first.
	 */
	@Override
	public void close() {
		this.closing.countDown();
		this.server.stop(0);
		this.executor.shutdownNow();
	}

	private void send(HttpExchange exchange) throws IOException {
		try {
			String body = read(exchange.getRequestBody());
			String path = exchange.getRequestURI().getRawPath();
			this.sends.add(new RecordedSend(exchange.getRequestMethod(), path,
					exchange.getRequestHeaders().getFirst("Authorization"), body));
			Matcher matcher = SEND_PATH.matcher(path);
			if (!"POST".equals(exchange.getRequestMethod()) || !matcher.matches()
					|| !matcher.group(1).equals(this.account.projectId())) {
				write(exchange, Reply.fcmError(404, "NOT_FOUND", null, "No such method or project: " + path));
				return;
			}
			if (!("Bearer " + TOKEN).equals(exchange.getRequestHeaders().getFirst("Authorization"))) {
				write(exchange, Reply.fcmError(401, "UNAUTHENTICATED", null, "Request had invalid credentials."));
				return;
			}
			int attempt = this.sends.size() - 1;
			Reply reply = this.script.isEmpty() ? Reply.ok()
					: this.script.get(Math.min(attempt, this.script.size() - 1));
			if (reply == Reply.STALL) {
				// Answers only when the server closes, or after a bounded wait.
				this.closing.await(10, TimeUnit.SECONDS);
				reply = Reply.ok();
			}
			if (reply.status() == 200 && reply.body() == null) {
				reply = Reply.json(200, "{\"name\":\"projects/" + this.account.projectId() + "/messages/"
						+ this.messageIds.incrementAndGet() + "\"}");
			}
			write(exchange, reply);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			exchange.close();
		}
	}

	private void manageTopic(HttpExchange exchange) throws IOException {
		try {
			String body = read(exchange.getRequestBody());
			String path = exchange.getRequestURI().getRawPath();
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			String accessTokenAuth = exchange.getRequestHeaders().getFirst("access_token_auth");
			Request request = topicRequest(body);
			this.topicCalls.add(new TopicManagementCall(path, authorization, accessTokenAuth,
					(request != null) ? request.topic() : null, (request != null) ? request.tokens() : List.of(),
					body));
			boolean subscribe = SUBSCRIBE_PATH.equals(path);
			if (!"POST".equals(exchange.getRequestMethod()) || !(subscribe || UNSUBSCRIBE_PATH.equals(path))) {
				write(exchange, Reply.json(404, "{\"error\":\"No such method: " + path + "\"}"));
				return;
			}
			if (!("Bearer " + TOKEN).equals(authorization) || !"true".equals(accessTokenAuth)) {
				write(exchange, Reply.json(401, "{\"error\":\"Unauthorized\"}"));
				return;
			}
			if (request == null) {
				write(exchange, Reply.json(400, "{\"error\":\"InvalidRequest\"}"));
				return;
			}
			int call = this.topicCalls.size() - 1;
			Reply reply = this.topicScript.isEmpty() ? Reply.ok()
					: this.topicScript.get(Math.min(call, this.topicScript.size() - 1));
			if (reply == Reply.STALL) {
				this.closing.await(10, TimeUnit.SECONDS);
				reply = Reply.ok();
			}
			if (reply.status() != 200 || reply.body() != null) {
				write(exchange, reply);
				return;
			}
			ObjectNode answer = json.createObjectNode();
			ArrayNode results = answer.putArray("results");
			for (String token : request.tokens()) {
				String error = this.tokenErrors.get(token);
				if (error != null) {
					results.addObject().put("error", error);
					continue;
				}
				if (subscribe) {
					subscribe(request.topic(), token);
				}
				else {
					Set<String> topics = this.topicsByToken.get(token);
					if (topics != null) {
						topics.remove(request.topic());
					}
				}
				results.addObject();
			}
			write(exchange, Reply.json(200, json.writeValueAsString(answer)));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			exchange.close();
		}
	}

	/**
	 * Reads a topic management request: {@code {"to": "/topics/<topic>",
	 * "registration_tokens": [...]}}.
	 * @return the request, or {@code null} when the body is not one
	 */
	private static @Nullable Request topicRequest(String body) {
		JsonNode root;
		try {
			root = json.readTree(body);
		}
		catch (JacksonException ex) {
			return null;
		}
		String to = root.path("to").asString("");
		JsonNode tokens = root.path("registration_tokens");
		if (!to.startsWith(TOPIC_PREFIX) || to.length() == TOPIC_PREFIX.length() || !tokens.isArray()
				|| tokens.isEmpty()) {
			return null;
		}
		List<String> list = new ArrayList<>();
		for (JsonNode token : tokens) {
			if (!token.isString() || token.asString().isEmpty()) {
				return null;
			}
			list.add(token.asString());
		}
		return new Request(to.substring(TOPIC_PREFIX.length()), List.copyOf(list));
	}

	private void token(HttpExchange exchange) throws IOException {
		try {
			this.tokenRequests.incrementAndGet();
			Map<String, String> form = form(read(exchange.getRequestBody()));
			String assertion = form.getOrDefault("assertion", "");
			if (!"POST".equals(exchange.getRequestMethod())
					|| !"urn:ietf:params:oauth:grant-type:jwt-bearer".equals(form.get("grant_type"))
					|| !this.account.signed(assertion) || !claimsFit(assertion)) {
				this.rejectedTokenRequests.incrementAndGet();
				write(exchange,
						Reply.json(400, "{\"error\":\"invalid_grant\",\"error_description\":\"Bad assertion\"}"));
				return;
			}
			write(exchange, Reply.json(200,
					"{\"access_token\":\"" + TOKEN + "\",\"token_type\":\"Bearer\",\"expires_in\":3600}"));
		}
		finally {
			exchange.close();
		}
	}

	private boolean claimsFit(String jwt) {
		JsonNode claims = json.readTree(Base64.getUrlDecoder().decode(jwt.split("\\.")[1]));
		return this.account.clientEmail().equals(claims.path("iss").asString())
				// Google's token audience, whatever token_uri says.
				&& "https://oauth2.googleapis.com/token".equals(claims.path("aud").asString())
				&& claims.path("scope").asString().contains("https://www.googleapis.com/auth/cloud-platform");
	}

	private static Map<String, String> form(String body) {
		Map<String, String> form = new HashMap<>();
		for (String pair : body.split("&")) {
			int equals = pair.indexOf('=');
			if (equals > 0) {
				form.put(URLDecoder.decode(pair.substring(0, equals), StandardCharsets.UTF_8),
						URLDecoder.decode(pair.substring(equals + 1), StandardCharsets.UTF_8));
			}
		}
		return form;
	}

	private static String read(InputStream in) throws IOException {
		return new String(in.readAllBytes(), StandardCharsets.UTF_8);
	}

	private static void write(HttpExchange exchange, Reply reply) throws IOException {
		byte[] bytes = (reply.body() != null) ? reply.body().getBytes(StandardCharsets.UTF_8) : new byte[0];
		exchange.getResponseHeaders().set("Content-Type", reply.contentType());
		exchange.sendResponseHeaders(reply.status(), (bytes.length > 0) ? bytes.length : -1);
		exchange.getResponseBody().write(bytes);
	}

	/**
	 * What the server answers to a send.
	 *
	 * @param status the HTTP status
	 * @param body the body; {@code null} for a generated success answer
	 * @param contentType the content type
	 */
	public record Reply(int status, @Nullable String body, String contentType) {

		/** No answer until the server closes. */
		public static final Reply STALL = new Reply(0, null, "");

		/**
		 * Success, with a generated message name as FCM answers.
		 * @return the reply
		 */
		public static Reply ok() {
			return new Reply(200, null, "application/json; charset=UTF-8");
		}

		/**
		 * A JSON answer.
		 * @param status the HTTP status
		 * @param body the JSON body
		 * @return the reply
		 */
		public static Reply json(int status, String body) {
			return new Reply(status, body, "application/json; charset=UTF-8");
		}

		/**
		 * A plain-text answer, as a proxy or load balancer in front of FCM might send.
		 * @param status the HTTP status
		 * @param body the text
		 * @return the reply
		 */
		public static Reply text(int status, String body) {
			return new Reply(status, body, "text/plain; charset=UTF-8");
		}

		/**
		 * An error as FCM sends it: a Google API error with FCM's error code in its
		 * details.
		 * @param status the HTTP status
		 * @param grpcStatus the error's status, such as {@code UNAVAILABLE}
		 * @param fcmErrorCode FCM's error code, if any
		 * @param message the error message
		 * @return the reply
		 */
		public static Reply fcmError(int status, String grpcStatus, @Nullable String fcmErrorCode, String message) {
			ObjectNode error = json.createObjectNode();
			error.put("code", status);
			error.put("message", message);
			error.put("status", grpcStatus);
			if (fcmErrorCode != null) {
				error.putArray("details")
					.addObject()
					.put("@type", "type.googleapis.com/google.firebase.fcm.v1.FcmError")
					.put("errorCode", fcmErrorCode);
			}
			ObjectNode root = json.createObjectNode();
			root.set("error", error);
			return json(status, json.writeValueAsString(root));
		}

	}

	/**
	 * A topic management call as the server received it.
	 *
	 * @param path the request path, {@code /iid/v1:batchAdd} or
	 * {@code /iid/v1:batchRemove}
	 * @param authorization the Authorization header, if any
	 * @param accessTokenAuth the {@code access_token_auth} header, if any
	 * @param topic the topic named, without {@code /topics/}; {@code null} when the body
	 * named none
	 * @param registrationTokens the tokens named
	 * @param body the request body
	 */
	public record TopicManagementCall(String path, @Nullable String authorization, @Nullable String accessTokenAuth,
			@Nullable String topic, List<String> registrationTokens, String body) {

		/**
		 * Whether the call subscribed, rather than unsubscribed.
		 * @return {@code true} for {@code batchAdd}
		 */
		public boolean subscribes() {
			return SUBSCRIBE_PATH.equals(this.path);
		}

	}

	private record Request(String topic, List<String> tokens) {
	}

	/**
	 * A send as the server received it.
	 *
	 * @param method the HTTP method
	 * @param path the request path
	 * @param authorization the Authorization header, if any
	 * @param body the request body
	 */
	public record RecordedSend(String method, String path, @Nullable String authorization, String body) {
	}

}
