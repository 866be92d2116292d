package dev.skyfold.chat.azure;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import dev.skyfold.azure.functions.SpringFunctionInstanceInjector;
import dev.skyfold.chat.azure.functions.MessageHistoryHandler;
import dev.skyfold.chat.azure.functions.PostMessageHandler;
import dev.skyfold.chat.azure.functions.TestHttpRequest;
import dev.skyfold.chat.azure.table.AzureTableMessageStore;
import dev.skyfold.chat.azure.table.MessageTable;
import dev.skyfold.chat.azure.table.TableHttpClients;
import dev.skyfold.chat.domain.MessageAttributes;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer.RecordedSend;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat's Azure functions as the Azure Functions Java worker runs them: the worker
 * asks the instance injector ({@link SpringFunctionInstanceInjector}, which starts the
 * application that {@code MAIN_CLASS} names) for the handler instances and invokes their
 * methods with HTTP requests. Messages are stored in Azurite's Table service and pushed
 * through the real Firebase Admin SDK to a local FCM protocol server.
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ChatAzureFunctionsIntegrationTests {

	private static final String TABLE = "chatmessages";

	private static final String PROJECT = "skyfold-test";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AzuriteServer azurite = new AzuriteServer();

	@TempDir
	static Path directory;

	private static @Nullable FcmProtocolServer fcm;

	private static @Nullable TableClient table;

	private static final Map<String, String> settings = new java.util.LinkedHashMap<>();

	@BeforeAll
	static void start() throws Exception {
		azurite.start();
		TestServiceAccount account = TestServiceAccount.create(PROJECT);
		fcm = FcmProtocolServer.start(account);
		Path key = account.writeKeyFile(directory, fcm.tokenUri());
		// What the Function App's settings would hold, as the worker's environment.
		settings.put(SpringFunctionInstanceInjector.MAIN_CLASS, ChatNotifierAzureApplication.class.getName());
		settings.put("skyfold.chat.azure.connection-string", azurite.connectionString());
		settings.put("skyfold.chat.azure.table", TABLE);
		settings.put("skyfold.chat.azure.create-table", "true");
		settings.put("skyfold.chat.fcm.enabled", "true");
		// The key as the Function App gets it: an application setting (a resolved
		// Key Vault reference).
		settings.put("skyfold.chat.azure.fcm-credentials", Files.readString(key));
		settings.put("skyfold.chat.fcm.base-url", fcm.baseUrl());
		settings.forEach(System::setProperty);
		table = new TableClientBuilder().connectionString(azurite.connectionString())
			.tableName(TABLE)
			.httpClient(TableHttpClients.create(Duration.ofSeconds(30)))
			.buildClient();
	}

	@AfterAll
	static void stop() {
		SpringFunctionInstanceInjector.close();
		settings.keySet().forEach(System::clearProperty);
		if (fcm != null) {
			fcm.close();
		}
		azurite.close();
	}

	@Test
	void refusesAViewerWithA403AndNeitherStoresNorPushes() {
		PostMessageHandler handler = new SpringFunctionInstanceInjector().getInstance(PostMessageHandler.class);
		int sendsBefore = fcm().sends().size();
		String viewer = Base64.getEncoder()
			.encodeToString(("{\"auth_typ\":\"oidc\",\"claims\":[{\"typ\":\"name\",\"val\":\"Vic\"},"
					+ "{\"typ\":\"roles\",\"val\":\"viewer\"}],\"role_typ\":\"roles\"}")
				.getBytes(StandardCharsets.UTF_8));

		TestHttpRequest.Response response = (TestHttpRequest.Response) handler.run(
				TestHttpRequest.sample("post-message.json")
					.withHeader("x-ms-client-principal", viewer)
					.withBody("{\"room\":\"viewers\",\"author\":\"Vic\",\"text\":\"may I?\"}"),
				new TestExecutionContext("postMessage"));

		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(403);
		assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
		assertThat(entities("viewers")).isEmpty();
		assertThat(fcm().sends()).hasSize(sendsBefore);
	}

	@Test
	void postsAMessageStoresItInTheTableAndPushesItToFcm() {
		PostMessageHandler handler = new SpringFunctionInstanceInjector().getInstance(PostMessageHandler.class);
		int sendsBefore = fcm().sends().size();

		TestHttpRequest.Response response = (TestHttpRequest.Response) handler
			.run(TestHttpRequest.sample("post-message.json"), new TestExecutionContext("postMessage"));

		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(201);
		assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
		JsonNode message = response.json();
		assertThat(message.path("author").asString()).isEqualTo("Ada Lovelace");
		String text = "Hello from Azure Functions! \uD83D\uDE80\nSecond line.";
		assertThat(message.path("text").asString()).isEqualTo(text);
		TableEntity entity = entity("general", message.path("id").asString());
		assertThat(entity.getProperty(MessageAttributes.AUTHOR)).isEqualTo("Ada Lovelace");
		assertThat(entity.getProperty(MessageAttributes.TEXT)).isEqualTo(text);
		assertThat(entity.getProperty(MessageAttributes.CREATED_AT)).isEqualTo(message.path("createdAt").asString());
		assertThat(entity.getProperty(MessageAttributes.CLIENT_MESSAGE_ID)).isEqualTo("c-azure-1");
		List<RecordedSend> sends = fcm().sends().subList(sendsBefore, fcm().sends().size());
		assertThat(sends).hasSize(1);
		assertThat(sends.get(0).path()).isEqualTo("/v1/projects/" + PROJECT + "/messages:send");
		JsonNode push = json.readTree(sends.get(0).body()).path("message");
		assertThat(push.path("topic").asString()).isEqualTo("general");
		assertThat(push.path("data").path("id").asString()).isEqualTo(message.path("id").asString());
		assertThat(push.path("data").path("text").asString()).isEqualTo(text);

		TestHttpRequest.Response again = (TestHttpRequest.Response) handler
			.run(TestHttpRequest.sample("post-message.json"), new TestExecutionContext("postMessage"));

		assertThat(again.getStatusCode()).isEqualTo(201);
		assertThat(again.json()).isEqualTo(message);
		assertThat(fcm().sends()).hasSize(sendsBefore + 1);
		assertThat(entities("general"))
			.filteredOn((stored) -> "c-azure-1".equals(stored.getProperty("clientMessageId")))
			.hasSize(1);
	}

	@Test
	void pushesAMessageOnceWhenARepostStoresItAfterItsFirstPosterDied() {
		PostMessageHandler handler = new SpringFunctionInstanceInjector().getInstance(PostMessageHandler.class);
		String createdAt = "2026-03-01T12:34:56.123456Z";
		// The claim a post wrote before its process died, without the message entity.
		TableEntity claim = new TableEntity("healed", MessageTable.claimRowKey("c-azure-healed"))
			.addProperty(MessageAttributes.ID, "healed-1")
			.addProperty(MessageAttributes.AUTHOR, "Grace")
			.addProperty(MessageAttributes.TEXT, "Lost in a crash")
			.addProperty(MessageAttributes.CREATED_AT, createdAt)
			.addProperty(MessageAttributes.CLIENT_MESSAGE_ID, "c-azure-healed")
			.addProperty(MessageTable.MESSAGE_ROW_KEY,
					MessageTable.messageRowKey("healed-1", Instant.parse(createdAt)));
		table().createEntity(claim);
		TestHttpRequest repost = TestHttpRequest.sample("post-message.json")
			.withBody("{\"room\":\"healed\",\"author\":\"Grace\",\"text\":\"Retried\","
					+ "\"clientMessageId\":\"c-azure-healed\"}");
		int sendsBefore = fcm().sends().size();

		TestHttpRequest.Response response = (TestHttpRequest.Response) handler.run(repost,
				new TestExecutionContext("postMessage"));

		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(201);
		assertThat(response.json().path("id").asString()).isEqualTo("healed-1");
		assertThat(response.json().path("text").asString()).isEqualTo("Lost in a crash");
		assertThat(entities("healed")).extracting((entity) -> entity.getProperty(MessageAttributes.ID))
			.containsExactly("healed-1");
		List<RecordedSend> sends = fcm().sends().subList(sendsBefore, fcm().sends().size());
		assertThat(sends).hasSize(1);
		JsonNode push = json.readTree(sends.get(0).body()).path("message");
		assertThat(push.path("topic").asString()).isEqualTo("healed");
		assertThat(push.path("data").path("id").asString()).isEqualTo("healed-1");

		TestHttpRequest.Response again = (TestHttpRequest.Response) handler.run(repost,
				new TestExecutionContext("postMessage"));

		assertThat(again.getStatusCode()).isEqualTo(201);
		assertThat(again.json()).isEqualTo(response.json());
		assertThat(fcm().sends()).hasSize(sendsBefore + 1);
		assertThat(entities("healed")).hasSize(1);
	}

	@Test
	void answersTheHistoryOfARoomFromTheTable() {
		SpringFunctionInstanceInjector injector = new SpringFunctionInstanceInjector();
		PostMessageHandler post = injector.getInstance(PostMessageHandler.class);
		for (int i = 0; i < 3; i++) {
			TestHttpRequest.Response posted = (TestHttpRequest.Response) post.run(
					TestHttpRequest.sample("post-message.json")
						.withBody("{\"room\":\"history\",\"author\":\"Grace\",\"text\":\"message " + i + "\"}"),
					new TestExecutionContext("postMessage"));
			assertThat(posted.getStatusCode()).isEqualTo(201);
		}
		MessageHistoryHandler history = injector.getInstance(MessageHistoryHandler.class);

		TestHttpRequest.Response response = (TestHttpRequest.Response) history.run(
				TestHttpRequest.sample("message-history.json").withQuery("room", "history").withQuery("limit", "2"),
				new TestExecutionContext("messageHistory"));

		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(200);
		JsonNode body = response.json();
		assertThat(body.path("room").asString()).isEqualTo("history");
		assertThat(body.path("messages").valueStream().map((message) -> message.path("text").asString()))
			.containsExactly("message 1", "message 2");
	}

	@Test
	void answersBadRequestsWithProblemsAndStoresNothing() {
		PostMessageHandler handler = new SpringFunctionInstanceInjector().getInstance(PostMessageHandler.class);

		assertThat(handler
			.run(TestHttpRequest.sample("post-message-malformed.json"), new TestExecutionContext("postMessage"))
			.getStatusCode()).isEqualTo(400);
		assertThat(handler
			.run(TestHttpRequest.sample("post-message-text-plain.json"), new TestExecutionContext("postMessage"))
			.getStatusCode()).isEqualTo(415);
		TestHttpRequest.Response tooLong = (TestHttpRequest.Response) handler.run(
				TestHttpRequest.sample("post-message.json")
					.withBody("{\"room\":\"too-long\",\"author\":\"Ada\",\"text\":\"" + "a".repeat(4001) + "\"}"),
				new TestExecutionContext("postMessage"));
		assertThat(tooLong.getStatusCode()).isEqualTo(413);
		assertThat(tooLong.getHeader("Content-Type")).isEqualTo("application/problem+json");
		assertThat(entities("too-long")).isEmpty();
	}

	@Test
	void buildsTheHandlersFromTheApplicationWithTheTableStore() {
		new SpringFunctionInstanceInjector().getInstance(MessageHistoryHandler.class);
		ConfigurableApplicationContext context = SpringFunctionInstanceInjector.application();

		assertThat(context).isNotNull();
		assertThat(context.getBean(MessageStore.class)).isInstanceOf(AzureTableMessageStore.class);
		assertThat(context.getBeanProvider(PostMessageHandler.class).getIfAvailable()).isNull();
	}

	private static TableEntity entity(String room, String id) {
		return entities(room).stream()
			.filter((entity) -> id.equals(entity.getProperty(MessageAttributes.ID)))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No message " + id + " in room " + room));
	}

	private static List<TableEntity> entities(String room) {
		assertThat(table).isNotNull();
		return table.listEntities(new ListEntitiesOptions().setFilter("PartitionKey eq '" + room + "'"), null, null)
			.stream()
			.filter((entity) -> MessageTable.isMessageRowKey(entity.getRowKey()))
			.toList();
	}

	private static TableClient table() {
		assertThat(table).isNotNull();
		return table;
	}

	private static FcmProtocolServer fcm() {
		assertThat(fcm).isNotNull();
		return fcm;
	}

}
