package dev.skyfold.chat.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;

import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.aws.dynamodb.DynaliteTables;
import dev.skyfold.chat.aws.lambda.Events;
import dev.skyfold.kernel.FunctionMetrics;
import dev.skyfold.testsupport.loopback.DynaliteServer;
import dev.skyfold.testsupport.loopback.aws.SecretsManagerServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer.RecordedSend;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer.Reply;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import dev.skyfold.testsupport.loopback.lambda.EmbeddedMetrics;
import dev.skyfold.testsupport.loopback.lambda.EmbeddedMetrics.Metric;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The packaged Lambda jar, run as Lambda runs it: by AWS's runtime interface client
 * against a local Runtime API, with Lambda's JVM flags. {@code postMessage} takes API
 * Gateway HTTP API events and stores into dynalite through the endpoint that
 * {@code AWS_ENDPOINT_URL_DYNAMODB} names; {@code broadcastMessage} reads its FCM
 * service-account key from a local Secrets Manager
 * ({@code AWS_ENDPOINT_URL_SECRETS_MANAGER}) at startup, then takes DynamoDB stream
 * events and sends through the real Firebase Admin SDK to a local FCM protocol server.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class ChatLambdaIntegrationTests {

	private static final String HANDLER = "dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest";

	private static final List<String> LAMBDA_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC");

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final String TABLE = "skyfold-chat";

	private static final String PROJECT = "skyfold-test";

	private static final int MAX_RETRIES = 2;

	private static final JsonMapper json = JsonMapper.builder().build();

	static final DynaliteServer dynalite = new DynaliteServer();

	@TempDir
	static Path directory;

	private static @Nullable DynamoDbClient dynamo;

	private static @Nullable FcmProtocolServer fcm;

	private static @Nullable LambdaFunction postMessage;

	private static @Nullable LambdaFunction broadcastMessage;

	private static @Nullable LambdaFunction messageHistory;

	private static @Nullable SecretsManagerServer secrets;

	private static @Nullable String secretArn;

	@BeforeAll
	static void start() throws Exception {
		dynalite.start();
		dynamo = DynaliteTables.client(dynalite.endpoint());
		DynaliteTables.create(dynamo, TABLE);
		TestServiceAccount account = TestServiceAccount.create(PROJECT);
		fcm = FcmProtocolServer.start(account);
		secrets = SecretsManagerServer.start();
		secretArn = secrets.putSecret("skyfold/fcm", Files.readString(account.writeKeyFile(directory, fcm.tokenUri())));
		postMessage = start("postMessage",
				Map.of("SKYFOLD_CHAT_AWS_TABLE", TABLE, "AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString()));
		// As the SAM template configures it, less the project: the key's own is used.
		broadcastMessage = start("broadcastMessage", broadcastEnvironment(secretArn));
	}

	/**
	 * The FCM key comes from the Secrets Manager secret, at the endpoint that the SDK's
	 * own {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} names.
	 */
	private static Map<String, String> broadcastEnvironment(String secret) {
		return Map.of("SKYFOLD_CHAT_FCM_ENABLED", "true", "SKYFOLD_CHAT_AWS_FCM_CREDENTIALS_SECRET", secret,
				"AWS_ENDPOINT_URL_SECRETS_MANAGER", secrets().endpoint().toString(), "SKYFOLD_CHAT_FCM_BASE_URL",
				fcm().baseUrl(), "SKYFOLD_CHAT_BROADCAST_MAX_RETRIES", Integer.toString(MAX_RETRIES),
				"SKYFOLD_CHAT_BROADCAST_INITIAL_DELAY", "10ms", "SKYFOLD_CHAT_BROADCAST_MAX_DELAY", "50ms");
	}

	private static LambdaFunction start(String definition, Map<String, String> environment) {
		Map<String, String> env = new HashMap<>(environment);
		env.put("SPRING_CLOUD_FUNCTION_DEFINITION", definition);
		env.put("MAIN_CLASS", ChatNotifierLambdaApplication.class.getName());
		env.put("AWS_REGION", "us-east-1");
		env.put("AWS_ACCESS_KEY_ID", DynaliteTables.ACCESS_KEY);
		env.put("AWS_SECRET_ACCESS_KEY", DynaliteTables.ACCESS_KEY);
		return LambdaFunction.start(jar(), HANDLER, env, LAMBDA_JVM);
	}

	@AfterAll
	static void stop() {
		for (AutoCloseable closeable : new AutoCloseable[] { postMessage, broadcastMessage, messageHistory, fcm,
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
		dynalite.close();
	}

	@AfterEach
	void answerFcmSendsNormally() {
		fcm().reply(Reply.ok());
	}

	@Test
	void postsAnApiGatewayRequestAndStoresTheMessageInDynamoDb() {
		JsonNode response = invoke(postMessage, Events.json("apigw-v2-post.json"));

		// API Gateway's payload 2.0 response, passed through as the function returned it.
		assertThat(response.propertyNames()).containsExactlyInAnyOrder("statusCode", "headers", "multiValueHeaders",
				"cookies", "body", "isBase64Encoded");
		assertThat(response.path("statusCode").asInt()).isEqualTo(201);
		assertThat(response.path("headers")).isEqualTo(json.readTree("{\"Content-Type\":\"application/json\"}"));
		assertThat(response.path("cookies").isArray()).isTrue();
		assertThat(response.path("isBase64Encoded").asBoolean()).isFalse();
		JsonNode message = json.readTree(response.path("body").asString());
		assertThat(message.path("author").asString()).isEqualTo("Ada Lovelace");
		assertThat(message.path("text").asString()).isEqualTo("Hello from API Gateway! \uD83D\uDE80\nSecond line.");
		Map<String, AttributeValue> item = item("general", "c#c-apigw-1");
		assertThat(item.get("id").s()).isEqualTo(message.path("id").asString());
		assertThat(item.get("author").s()).isEqualTo("Ada Lovelace");
		assertThat(item.get("text").s()).isEqualTo(message.path("text").asString());
		assertThat(item.get("createdAt").s()).isEqualTo(message.path("createdAt").asString());

		JsonNode again = invoke(postMessage, Events.json("apigw-v2-post.json"));

		assertThat(again.path("statusCode").asInt()).isEqualTo(201);
		assertThat(json.readTree(again.path("body").asString())).isEqualTo(message);
		assertThat(dynamo().scan((scan) -> scan.tableName(TABLE)).items())
			.filteredOn((stored) -> "c#c-apigw-1".equals(stored.get("messageKey").s()))
			.hasSize(1);
	}

	@Test
	void logsEachInvocationsMetricsAndItsTraceIdsOnEveryLine() throws InterruptedException {
		ObjectNode post = (ObjectNode) json.readTree(Events.json("apigw-v2-post.json"));
		post.put("body", "{\"room\":\"metered\",\"text\":\"counted\"}");
		int logged = postMessage().log().length();
		JsonNode response = invoke(postMessage, post);
		assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(201);

		Map<String, Metric> metrics = EmbeddedMetrics.loggedSince(postMessage(), logged);
		assertThat(metrics.get(FunctionMetrics.INVOCATIONS).value()).isEqualTo(1);
		assertThat(metrics.get(FunctionMetrics.INVOCATIONS).dimensions()).containsEntry(FunctionMetrics.FUNCTION_TAG,
				"postMessage");
		assertThat(metrics.get(ChatService.MESSAGES_STORED).value()).isEqualTo(1);
		// The runtime's X-Ray trace header, Root=1-00000000-..., as each line's trace id.
		assertThat(postMessage().log().substring(logged).lines().filter((line) -> line.contains("Stored message")))
			.singleElement()
			.asString()
			.containsPattern("\\[1-00000000-[0-9a-f]{24} ");
	}

	@Test
	void startsWithoutWarningsOrTheEventsInTheLog() {
		invoke(postMessage, Events.json("apigw-v2-post-malformed.json"));

		assertThat(postMessage().log()).contains("Started ChatNotifierLambdaApplication")
			.doesNotContain(" WARN ", " ERROR ", "eyJ");
	}

	@Test
	void decodesABase64EncodedBody() {
		JsonNode response = invoke(postMessage, Events.json("apigw-v2-post-base64.json"));

		assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(201);
		JsonNode message = json.readTree(response.path("body").asString());
		assertThat(message.path("author").asString()).isEqualTo("grace");
		assertThat(message.path("text").asString())
			.isEqualTo("Encoded by API Gateway: \u00dcn\u00efc\u00f6d\u00e9 and \uD83D\uDE80 survive.");
		assertThat(item("general", "c#c-apigw-2").get("text").s()).isEqualTo(message.path("text").asString());
	}

	@Test
	void refusesAViewerThroughTheRuntimeWithA403AndStoresNothing() {
		ObjectNode viewer = (ObjectNode) json.readTree(Events.json("apigw-v2-post.json"));
		((ObjectNode) viewer.path("requestContext").path("authorizer").path("jwt").path("claims")).put("cognito:groups",
				"[viewer]");
		viewer.put("body", "{\"room\":\"viewers\",\"author\":\"Ada\",\"text\":\"may I?\"}");

		JsonNode response = invoke(postMessage, viewer.toString());

		assertProblem(response, 403);
		assertThat(json.readTree(response.path("body").asString()).path("detail").asString())
			.contains("needs the role 'member'");
		assertThat(dynamo().scan((scan) -> scan.tableName(TABLE)).items())
			.noneSatisfy((stored) -> assertThat(stored.get("room").s()).isEqualTo("viewers"));
	}

	@Test
	void answersBadRequestsWithProblems() {
		assertProblem(invoke(postMessage, Events.json("apigw-v2-post-malformed.json")), 400);
		assertProblem(invoke(postMessage, Events.json("apigw-v2-post-text-plain.json")), 415);
		ObjectNode tooLong = (ObjectNode) json.readTree(Events.json("apigw-v2-post.json"));
		tooLong.put("body", "{\"room\":\"too-long\",\"author\":\"Ada\",\"text\":\"" + "a".repeat(4001) + "\"}");
		assertProblem(invoke(postMessage, tooLong.toString()), 413);
		assertThat(dynamo().scan((scan) -> scan.tableName(TABLE)).items())
			.noneSatisfy((stored) -> assertThat(stored.get("room").s()).isEqualTo("too-long"));
	}

	@Test
	void broadcastsAStoredMessageFromItsStreamRecordToTheRoomsFcmTopic() {
		ObjectNode post = (ObjectNode) json.readTree(Events.json("apigw-v2-post.json"));
		post.put("body",
				"{\"room\":\"stream-test\",\"text\":\"Through the stream \uD83D\uDE80\",\"clientMessageId\":\"s-1\"}");
		JsonNode posted = json.readTree(invoke(postMessage, post.toString()).path("body").asString());
		Map<String, AttributeValue> item = item("stream-test", "c#s-1");
		int before = fcm().sends().size();

		JsonNode response = invoke(broadcastMessage, streamInsert(item, "222200000000000000000001"));

		assertThat(response).isEqualTo(json.readTree("{\"batchItemFailures\":[]}"));
		List<RecordedSend> sends = fcm().sends().subList(before, fcm().sends().size());
		assertThat(sends).singleElement().satisfies((send) -> {
			assertThat(send.path()).isEqualTo("/v1/projects/" + PROJECT + "/messages:send");
			assertThat(send.authorization()).isEqualTo("Bearer " + FcmProtocolServer.TOKEN);
			assertThat(json.readTree(send.body())).isEqualTo(json.readTree("""
					{"message": {
					  "topic": "stream-test",
					  "notification": {"title": "New Message", "body": "Through the stream 🚀"},
					  "data": {
					    "id": "%s",
					    "room": "stream-test",
					    "author": "Ada Lovelace",
					    "text": "Through the stream 🚀",
					    "createdAt": "%s"
					  }
					}}
					""".formatted(posted.path("id").asString(), posted.path("createdAt").asString())));
		});
	}

	@Test
	void readsTheFcmKeyFromSecretsManagerOnceAtStartupWithTheFunctionsCredentials() {
		invoke(broadcastMessage, Events.json("dynamodb-stream-batch.json"));
		invoke(broadcastMessage, Events.json("dynamodb-stream-insert.json"));

		assertThat(secrets().requests()).filteredOn((request) -> Objects.equals(secretArn, request.secretId()))
			.singleElement()
			.satisfies((request) -> {
				assertThat(request.target()).isEqualTo("secretsmanager.GetSecretValue");
				assertThat(request.credentialScope())
					.matches(DynaliteTables.ACCESS_KEY + "/\\d{8}/us-east-1/secretsmanager/aws4_request");
			});
		assertThat(fcm().rejectedTokenRequests()).isZero();
		assertThat(broadcastMessage().log()).contains("Started ChatNotifierLambdaApplication")
			.doesNotContain("PRIVATE KEY");
	}

	@Test
	void primesAtInitWithoutStoringOrPushingAnything() {
		Map<String, String> post = new HashMap<>(
				Map.of("SKYFOLD_CHAT_AWS_TABLE", TABLE, "AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString()));
		post.put("SKYFOLD_LAMBDA_PRIMING_ONINIT", "true");
		Map<String, String> broadcast = new HashMap<>(broadcastEnvironment(secretArn));
		broadcast.put("SKYFOLD_LAMBDA_PRIMING_ONINIT", "true");
		int sends = fcm().sends().size();
		try (LambdaFunction primedPost = start("postMessage", post);
				LambdaFunction primedBroadcast = start("broadcastMessage", broadcast)) {
			primedPost.awaitInitialized(TIMEOUT);
			primedBroadcast.awaitInitialized(TIMEOUT);

			assertThat(primedPost.log()).contains("Primed [postMessage] in").doesNotContain(" WARN ");
			assertThat(primedBroadcast.log()).contains("Primed [broadcastMessage] in").doesNotContain(" WARN ");
			assertThat(dynamo().scan((scan) -> scan.tableName(TABLE)).items())
				.noneMatch((item) -> item.get("room").s().contains("priming"));
			assertThat(fcm().sends()).hasSize(sends);

			JsonNode response = invoke(primedPost, Events.json("apigw-v2-post.json"));
			assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(201);
		}
	}

	@Test
	void failsToInitializeWhenTheFcmSecretDoesNotExist() {
		String missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:skyfold/missing-AbCdEf";
		try (LambdaFunction function = start("broadcastMessage", broadcastEnvironment(missing))) {
			assertThatIllegalStateException()
				.isThrownBy(() -> function.invoke(Events.json("dynamodb-stream-insert.json"), TIMEOUT))
				.withMessageStartingWith("The function failed to initialize: ")
				.withMessageContaining("Could not load the FCM credentials from the secret that "
						+ "skyfold.chat.aws.fcm-credentials-secret names: Could not read secret '" + missing
						+ "' from AWS Secrets Manager in us-east-1: ResourceNotFoundException: "
						+ "Secrets Manager can't find the specified secret.");
		}
	}

	@Test
	void broadcastsOnlyTheInsertedMessagesOfABatch() {
		int before = fcm().sends().size();

		JsonNode response = invoke(broadcastMessage, Events.json("dynamodb-stream-batch.json"));

		assertThat(response.path("batchItemFailures").isEmpty()).as(response.toString()).isTrue();
		List<RecordedSend> sends = fcm().sends().subList(before, fcm().sends().size());
		assertThat(sends).extracting((send) -> json.readTree(send.body()).path("message"))
			.extracting(
					(message) -> message.path("topic").asString() + " " + message.path("data").path("id").asString())
			.containsExactly("general 0f8e7c1a-3b2d-4c5e-9f60-718293a4b5c6",
					"random 5d41402a-bc4b-4a8e-9b3c-7a1f2e3d4c5b");
	}

	@Test
	void reportsARecordWhoseBroadcastFailedTransientlyForAnotherDelivery() {
		fcm().reply(Reply.fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."));
		int before = fcm().sends().size();

		JsonNode response = invoke(broadcastMessage, Events.json("dynamodb-stream-insert.json"));

		assertThat(response)
			.isEqualTo(json.readTree("{\"batchItemFailures\":[{\"itemIdentifier\":\"111100000000012345678901\"}]}"));
		assertThat(fcm().sends().size() - before).isEqualTo(1 + MAX_RETRIES);
	}

	@Test
	void sendsTheBatchBackUntriedWhenTheInvocationsRemainingTimeCannotHoldAnFcmSend() {
		int before = fcm().sends().size();

		// The runtime's deadline: 5 s, less than one send may take (4 x the 10 s
		// timeout).
		Invocation answer = broadcastMessage().invoke(Events.json("dynamodb-stream-insert.json"),
				Duration.ofSeconds(5));

		assertThat(answer.failed()).as("the function failed: %s", answer.body()).isFalse();
		assertThat(json.readTree(answer.body()))
			.isEqualTo(json.readTree("{\"batchItemFailures\":[{\"itemIdentifier\":\"111100000000012345678901\"}]}"));
		assertThat(fcm().sends().size()).as("FCM sends").isEqualTo(before);
	}

	@Test
	void doesNotReportARecordThatFcmRefused() {
		fcm().reply(
				Reply.fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Request contains an invalid argument."));
		int before = fcm().sends().size();

		JsonNode response = invoke(broadcastMessage, Events.json("dynamodb-stream-insert.json"));

		assertThat(response).isEqualTo(json.readTree("{\"batchItemFailures\":[]}"));
		assertThat(fcm().sends().size() - before).isOne();
	}

	@Test
	void answersTheHistoryOfARoom() {
		ObjectNode post = (ObjectNode) json.readTree(Events.json("apigw-v2-post.json"));
		for (String text : List.of("first", "second", "third")) {
			post.put("body", "{\"room\":\"history-test\",\"text\":\"" + text + "\"}");
			assertThat(invoke(postMessage, post.toString()).path("statusCode").asInt()).isEqualTo(201);
		}
		if (messageHistory == null) {
			messageHistory = start("messageHistory", Map.of("SKYFOLD_CHAT_AWS_TABLE", TABLE,
					"AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString()));
		}
		ObjectNode get = (ObjectNode) json.readTree(Events.json("apigw-v2-get-history.json"));
		get.putObject("queryStringParameters").put("room", "history-test").put("limit", "2");

		JsonNode response = invoke(messageHistory, get.toString());

		assertThat(response.path("statusCode").asInt()).isEqualTo(200);
		JsonNode history = json.readTree(response.path("body").asString());
		assertThat(history.path("messages").valueStream().map((message) -> message.path("text").asString()))
			.containsExactly("second", "third");
	}

	private static JsonNode streamInsert(Map<String, AttributeValue> item, String sequenceNumber) {
		ObjectNode event = (ObjectNode) json.readTree(Events.json("dynamodb-stream-insert.json"));
		ObjectNode record = (ObjectNode) event.path("Records").get(0);
		ObjectNode stream = (ObjectNode) record.path("dynamodb");
		ObjectNode keys = stream.putObject("Keys");
		keys.putObject("room").put("S", item.get("room").s());
		keys.putObject("messageKey").put("S", item.get("messageKey").s());
		ObjectNode image = stream.putObject("NewImage");
		item.forEach((name, value) -> image.putObject(name).put("S", value.s()));
		stream.put("SequenceNumber", sequenceNumber);
		return event;
	}

	private static JsonNode invoke(@Nullable LambdaFunction function, Object event) {
		assertThat(function).as("function").isNotNull();
		Invocation answer = function.invoke(event.toString(), TIMEOUT);
		assertThat(answer.failed()).as("the function failed: %s\n%s", answer.body(), function.log()).isFalse();
		return json.readTree(answer.body());
	}

	private static void assertProblem(JsonNode response, int status) {
		assertThat(response.path("statusCode").asInt()).as(response.toString()).isEqualTo(status);
		assertThat(response.path("headers").path("Content-Type").asString()).isEqualTo("application/problem+json");
		JsonNode problem = json.readTree(response.path("body").asString());
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("type").asString()).isEqualTo("about:blank");
		assertThat(problem.path("detail").asString()).isNotBlank();
	}

	private static Map<String, AttributeValue> item(String room, String messageKey) {
		Map<String, AttributeValue> item = dynamo()
			.getItem((get) -> get.tableName(TABLE)
				.key(Map.of("room", AttributeValue.fromS(room), "messageKey", AttributeValue.fromS(messageKey)))
				.consistentRead(true))
			.item();
		assertThat(item).as("item %s/%s", room, messageKey).isNotEmpty();
		return item;
	}

	private static LambdaFunction postMessage() {
		assertThat(postMessage).as("postMessage").isNotNull();
		return postMessage;
	}

	private static DynamoDbClient dynamo() {
		assertThat(dynamo).as("DynamoDB client").isNotNull();
		return dynamo;
	}

	private static LambdaFunction broadcastMessage() {
		assertThat(broadcastMessage).as("broadcastMessage").isNotNull();
		return broadcastMessage;
	}

	private static SecretsManagerServer secrets() {
		assertThat(secrets).as("Secrets Manager server").isNotNull();
		return secrets;
	}

	private static FcmProtocolServer fcm() {
		assertThat(fcm).as("FCM server").isNotNull();
		return fcm;
	}

	private static Path jar() {
		String jar = System.getProperty("skyfold.lambda.jar");
		assertThat(jar).as("system property skyfold.lambda.jar (set by Failsafe)").isNotNull();
		Path path = Path.of(jar);
		assertThat(Files.exists(path)).as("%s exists: run ./mvnw verify, which packages it first", path).isTrue();
		return path;
	}

}
