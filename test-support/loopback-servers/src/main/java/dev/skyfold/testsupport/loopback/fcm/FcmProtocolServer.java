package dev.skyfold.testsupport.loopback.fcm;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
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
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local server speaking the two protocols the Firebase Admin SDK uses to send a
 * message: Google's OAuth2 token endpoint ({@code POST /token}, a JWT signed by the
 * service account in, a bearer token out) and FCM HTTP v1 ({@code POST
 * /v1/projects/{project}/messages:send}). It records every send and answers with the
 * replies a test scripts, which may be no answer at all.
 * <p>
 * Point the SDK at it with a key file from
 * {@link TestServiceAccount#writeKeyFile(java.nio.file.Path, String)} naming
 * {@link #tokenUri()}, and with FCM requests sent to {@link #baseUrl()} instead of
 * {@code https://fcm.googleapis.com} (chat-notifier-fcm's
 * {@code skyfold.chat.fcm.base-url}). <pre class="code">
 * try (FcmProtocolServer fcm = FcmProtocolServer.start(account)) {
 * 	Path keyFile = account.writeKeyFile(directory, fcm.tokenUri());
 * 	// ... send through the SDK ...
 * 	assertThat(fcm.sends()).singleElement()...
 * }
 * </pre> It listens on a free port of {@code 127.0.0.1}; sends for another project than
 * the account's get a 404, sends without the token it handed out a 401.
 */
public final class FcmProtocolServer implements AutoCloseable {

	/** The bearer token the token endpoint hands out and the send endpoint expects. */
	public static final String TOKEN = "test-token";

	private static final Pattern SEND_PATH = Pattern.compile("/v1/projects/([^/]+)/messages:send");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final TestServiceAccount account;

	private final HttpServer server;

	private final List<Reply> script = new CopyOnWriteArrayList<>();

	private final List<RecordedSend> sends = new CopyOnWriteArrayList<>();

	private final AtomicInteger tokenRequests = new AtomicInteger();

	private final AtomicInteger rejectedTokenRequests = new AtomicInteger();

	private final AtomicInteger messageIds = new AtomicInteger();

	private final ExecutorService executor = Executors.newCachedThreadPool();

	private final CountDownLatch closing = new CountDownLatch(1);

	private FcmProtocolServer(TestServiceAccount account) throws IOException {
		this.account = account;
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/token", this::token);
		this.server.createContext("/v1/", this::send);
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
	 * Where FCM requests go instead of {@code https://fcm.googleapis.com}.
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
