package dev.skyfold.chat.aws;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.skyfold.chat.aws.dynamodb.DynaliteTables;
import dev.skyfold.chat.aws.lambda.Events;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.ChatFunctionContract;
import dev.skyfold.testsupport.contract.ChatHost;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.Verdict;
import dev.skyfold.testsupport.loopback.DynaliteServer;
import dev.skyfold.testsupport.loopback.aws.SecretsManagerServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat functions' contract on AWS Lambda: the packaged Lambda jar run by AWS's
 * runtime interface client, one function per definition as the SAM template deploys them,
 * over one dynalite table. {@code postMessage} and {@code messageHistory} take API
 * Gateway HTTP API events whose JWT authorizer claims name the caller;
 * {@code broadcastMessage} takes DynamoDB stream records and sends through the Firebase
 * Admin SDK to a local FCM protocol server, its key read from a local Secrets Manager, as
 * {@link ChatLambdaIntegrationTests} runs them.
 */
class LambdaChatContractIntegrationTests extends ChatFunctionContract {

	private static final String HANDLER = "dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest";

	private static final List<String> LAMBDA_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC");

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final String TABLE = "skyfold-chat-contract";

	private static final String PROJECT = "skyfold-test";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/** The chat table's {@code timeKey}: the instant, fixed width, then the id. */
	private static final DateTimeFormatter TIME_KEY = DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSSSSSSSS'Z'")
		.withZone(ZoneOffset.UTC);

	/** How {@code broadcastMessage} logs a record it skips without retrying it. */
	private static final String SKIPPED_RECORD = "Skipped record %s: (.+)";

	private static final AtomicLong sequenceNumbers = new AtomicLong(333300000000000000L);

	@RegisterExtension
	static final DynaliteServer dynalite = new DynaliteServer();

	@TempDir
	static Path directory;

	private static @Nullable DynamoDbClient dynamo;

	private static @Nullable FcmProtocolServer fcm;

	private static @Nullable SecretsManagerServer secrets;

	private static @Nullable LambdaFunction postMessage;

	private static @Nullable LambdaFunction messageHistory;

	private static @Nullable LambdaFunction broadcastMessage;

	@BeforeAll
	static void start() throws Exception {
		dynamo = DynaliteTables.client(dynalite.endpoint());
		DynaliteTables.create(dynamo, TABLE);
		TestServiceAccount account = TestServiceAccount.create(PROJECT);
		fcm = FcmProtocolServer.start(account);
		secrets = SecretsManagerServer.start();
		String secret = secrets.putSecret("skyfold/fcm",
				Files.readString(account.writeKeyFile(directory, fcm.tokenUri())));
		Map<String, String> store = Map.of("SKYFOLD_CHAT_AWS_TABLE", TABLE, "AWS_ENDPOINT_URL_DYNAMODB",
				dynalite.endpoint().toString());
		postMessage = start("postMessage", store);
		messageHistory = start("messageHistory", store);
		broadcastMessage = start("broadcastMessage",
				Map.of("SKYFOLD_CHAT_FCM_ENABLED", "true", "SKYFOLD_CHAT_AWS_FCM_CREDENTIALS_SECRET", secret,
						"AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets.endpoint().toString(), "SKYFOLD_CHAT_FCM_BASE_URL",
						fcm.baseUrl()));
	}

	private static LambdaFunction start(String definition, Map<String, String> environment) {
		Map<String, String> env = new HashMap<>(environment);
		env.put("SPRING_CLOUD_FUNCTION_DEFINITION", definition);
		env.put("MAIN_CLASS", ChatNotifierLambdaApplication.class.getName());
		env.put("AWS_REGION", "us-east-1");
		env.put("AWS_ACCESS_KEY_ID", DynaliteTables.ACCESS_KEY);
		env.put("AWS_SECRET_ACCESS_KEY", DynaliteTables.ACCESS_KEY);
		String jar = System.getProperty("skyfold.lambda.jar");
		assertThat(jar).as("system property skyfold.lambda.jar (set by Failsafe)").isNotNull();
		return LambdaFunction.start(Path.of(jar), HANDLER, env, LAMBDA_JVM);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { postMessage, messageHistory, broadcastMessage, fcm,
				secrets, dynamo }) {
			try {
				if (closeable != null) {
					closeable.close();
				}
			}
			catch (Exception ex) {
				// Best effort: stop the rest.
			}
		}
	}

	@Override
	protected ChatHost chatHost() {
		return new ChatHost() {

			@Override
			public Host host() {
				return Host.LAMBDA;
			}

			@Override
			public String author(Caller caller) {
				return name(caller);
			}

			@Override
			public Answer postMessage(Caller caller, String body, String contentType) {
				ObjectNode event = request("apigw-v2-post.json", caller);
				ObjectNode headers = (ObjectNode) event.path("headers");
				headers.put("content-type", contentType);
				headers.put("content-length", Integer.toString(body.getBytes(StandardCharsets.UTF_8).length));
				event.put("body", body);
				event.put("isBase64Encoded", false);
				return httpAnswer(invoke(postMessage, event));
			}

			@Override
			public Answer messageHistory(Caller caller, HistoryQuery query) {
				Map<String, String> parameters = new LinkedHashMap<>();
				parameters.put("room", query.room());
				putIfPresent(parameters, "before", query.before());
				putIfPresent(parameters, "beforeId", query.beforeId());
				putIfPresent(parameters, "limit", query.limit());
				ObjectNode event = request("apigw-v2-get-history.json", caller);
				ObjectNode queryParameters = event.putObject("queryStringParameters");
				StringJoiner raw = new StringJoiner("&");
				parameters.forEach((name, value) -> {
					queryParameters.put(name, value);
					raw.add(name + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
				});
				event.put("rawQueryString", raw.toString());
				return httpAnswer(invoke(messageHistory, event));
			}

			@Override
			public Answer broadcastMessage(Caller caller, JsonNode message) {
				String sequenceNumber = Long.toString(sequenceNumbers.incrementAndGet());
				LambdaFunction function = function(broadcastMessage);
				int logged = function.log().length();
				Invocation invocation = function.invoke(streamInsert(message, sequenceNumber), TIMEOUT);
				if (invocation.failed()) {
					return Answer.refused(Verdict.FAILED, invocation.body());
				}
				JsonNode answer = JSON.readTree(invocation.body());
				if (!answer.path("batchItemFailures").isEmpty()) {
					return Answer.refused(Verdict.FAILED, "Sent back for another delivery: " + answer);
				}
				// A record it cannot use is skipped, not retried, and logged.
				Matcher skipped = Pattern.compile(SKIPPED_RECORD.formatted(sequenceNumber))
					.matcher(function.log().substring(logged));
				if (skipped.find()) {
					return Answer.refused(Verdict.REJECTED, skipped.group(1));
				}
				return Answer.done(answer);
			}

			@Override
			public void listen(String room) {
				// The FCM server records every send from the start.
			}

			@Override
			public List<String> pushed(String room) {
				List<String> texts = new ArrayList<>();
				for (FcmProtocolServer.RecordedSend send : fcm().sends()) {
					JsonNode message = JSON.readTree(send.body()).path("message");
					// The room's topic is its name; the data has the whole text.
					if (message.path("topic").asString("").equals(room)) {
						texts.add(message.path("data").path("text").asString(""));
					}
				}
				return texts;
			}

		};
	}

	/**
	 * A sample API Gateway request from the given caller: with the claims of the token
	 * API Gateway's JWT authorizer verified, or, for an anonymous caller, without token
	 * or claims, which the function refuses.
	 */
	private static ObjectNode request(String sample, Caller caller) {
		ObjectNode event = (ObjectNode) JSON.readTree(Events.json(sample));
		ObjectNode context = (ObjectNode) event.path("requestContext");
		if (caller == Caller.ANONYMOUS) {
			((ObjectNode) event.path("headers")).remove("authorization");
			context.remove("authorizer");
			return event;
		}
		String role = caller.name().toLowerCase(Locale.ROOT);
		ObjectNode claims = context.putObject("authorizer").putObject("jwt").putObject("claims");
		claims.put("aud", "7sj4d8f0example");
		claims.put("cognito:groups", "[" + role + "]");
		claims.put("cognito:username", "contract-" + role);
		claims.put("name", name(caller));
		claims.put("sub", "contract-" + role + "-0001");
		claims.put("iss", "https://cognito-idp.us-east-1.amazonaws.com/us-east-1_EXAMPLE");
		claims.put("token_use", "id");
		return event;
	}

	/** The name claim of each signed-in caller, which the function posts under. */
	private static String name(Caller caller) {
		return switch (caller) {
			case VIEWER -> "Contract Viewer";
			case MEMBER -> "Contract Member";
			case ADMIN -> "Contract Admin";
			default -> throw new IllegalArgumentException("No signed-in identity for " + caller);
		};
	}

	/**
	 * A DynamoDB stream INSERT of a message item, as the table's {@code NEW_IMAGE} stream
	 * carries a stored message.
	 */
	private static String streamInsert(JsonNode message, String sequenceNumber) {
		ObjectNode event = (ObjectNode) JSON.readTree(Events.json("dynamodb-stream-insert.json"));
		ObjectNode record = (ObjectNode) event.path("Records").get(0);
		ObjectNode stream = (ObjectNode) record.path("dynamodb");
		String id = message.path("id").asString();
		String messageKey = "m#" + id;
		ObjectNode keys = stream.putObject("Keys");
		keys.putObject("room").put("S", message.path("room").asString());
		keys.putObject("messageKey").put("S", messageKey);
		ObjectNode image = stream.putObject("NewImage");
		image.putObject("room").put("S", message.path("room").asString());
		image.putObject("messageKey").put("S", messageKey);
		image.putObject("timeKey")
			.put("S", TIME_KEY.format(Instant.parse(message.path("createdAt").asString())) + "#" + id);
		for (String attribute : List.of("id", "author", "text", "createdAt")) {
			image.putObject(attribute).put("S", message.path(attribute).asString());
		}
		stream.put("SequenceNumber", sequenceNumber);
		record.put("eventID", "contract-" + sequenceNumber);
		return event.toString();
	}

	/** An API Gateway payload 2.0 response as an HTTP answer. */
	private static Answer httpAnswer(Invocation invocation) {
		if (invocation.failed()) {
			return Answer.refused(Verdict.FAILED, invocation.body());
		}
		JsonNode response = JSON.readTree(invocation.body());
		String contentType = null;
		for (Map.Entry<String, JsonNode> header : response.path("headers").properties()) {
			if (header.getKey().equalsIgnoreCase("content-type")) {
				contentType = header.getValue().asString();
			}
		}
		String body = response.path("body").asString("");
		byte[] bytes = response.path("isBase64Encoded").asBoolean(false) ? Base64.getDecoder().decode(body)
				: body.getBytes(StandardCharsets.UTF_8);
		return Answer.http(response.path("statusCode").asInt(), contentType, bytes);
	}

	private static Invocation invoke(@Nullable LambdaFunction function, Object event) {
		return function(function).invoke(event.toString(), TIMEOUT);
	}

	private static LambdaFunction function(@Nullable LambdaFunction function) {
		assertThat(function).as("function").isNotNull();
		return function;
	}

	private static FcmProtocolServer fcm() {
		assertThat(fcm).as("FCM server").isNotNull();
		return fcm;
	}

	private static void putIfPresent(Map<String, String> parameters, String name, @Nullable String value) {
		if (value != null) {
			parameters.put(name, value);
		}
	}

}
