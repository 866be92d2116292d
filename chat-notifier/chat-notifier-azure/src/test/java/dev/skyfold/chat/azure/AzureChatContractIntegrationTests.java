package dev.skyfold.chat.azure;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpResponseMessage;
import dev.skyfold.azure.functions.SpringFunctionInstanceInjector;
import dev.skyfold.chat.azure.functions.MessageHistoryHandler;
import dev.skyfold.chat.azure.functions.PostMessageHandler;
import dev.skyfold.chat.azure.functions.TestHttpRequest;
import dev.skyfold.testsupport.azure.AppSettings;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.ChatFunctionContract;
import dev.skyfold.testsupport.contract.ChatHost;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The chat functions' contract on Azure Functions: the adapter's injector starts the
 * application that {@code MAIN_CLASS} names, as the Java worker does, and the HTTP
 * triggers get the requests App Service Authentication passes on, with the signed-in
 * caller's claims in {@code X-MS-CLIENT-PRINCIPAL}. Messages are stored in Azurite's
 * Table service and pushed through the real Firebase Admin SDK to a local FCM protocol
 * server, whose sends tell what reached a room's subscribers.
 */
class AzureChatContractIntegrationTests extends ChatFunctionContract {

	private static final String TABLE = "contractmessages";

	private static final String PROJECT = "skyfold-contract";

	private static final String API = "https://skyfold-chat-notifier.azurewebsites.net/api/messages";

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final AzuriteServer azurite = new AzuriteServer();

	/** The system properties this class sets, with the values they had before. */
	private static final AppSettings settings = new AppSettings();

	@TempDir
	static Path directory;

	private static @Nullable FcmProtocolServer fcm;

	private static @Nullable PostMessageHandler postMessage;

	private static @Nullable MessageHistoryHandler messageHistory;

	@BeforeAll
	static void start() throws Exception {
		azurite.start();
		TestServiceAccount account = TestServiceAccount.create(PROJECT);
		fcm = FcmProtocolServer.start(account);
		Path key = account.writeKeyFile(directory, fcm.tokenUri());
		// One application per JVM: another test class may have left its own running.
		SpringFunctionInstanceInjector.close();
		// The injector sets the logging system when it starts the application.
		settings.remember(SpringFunctionInstanceInjector.LOGGING_SYSTEM);
		// What the Function App's settings would hold, as the worker's environment.
		settings.set(SpringFunctionInstanceInjector.MAIN_CLASS, ChatNotifierAzureApplication.class.getName());
		settings.set("skyfold.chat.azure.connection-string", azurite.connectionString());
		settings.set("skyfold.chat.azure.table", TABLE);
		settings.set("skyfold.chat.azure.create-table", "true");
		settings.set("skyfold.chat.fcm.enabled", "true");
		settings.set("skyfold.chat.azure.fcm-credentials", Files.readString(key));
		settings.set("skyfold.chat.fcm.base-url", fcm.baseUrl());
		SpringFunctionInstanceInjector injector = new SpringFunctionInstanceInjector();
		postMessage = injector.getInstance(PostMessageHandler.class);
		messageHistory = injector.getInstance(MessageHistoryHandler.class);
	}

	@AfterAll
	static void stop() {
		SpringFunctionInstanceInjector.close();
		settings.restore();
		if (fcm != null) {
			fcm.close();
		}
		azurite.close();
	}

	@Override
	protected ChatHost chatHost() {
		return new ChatHost() {

			@Override
			public Host host() {
				return Host.AZURE;
			}

			@Override
			public @Nullable String author(Caller caller) {
				return identity(caller);
			}

			@Override
			public Answer postMessage(Caller caller, String body, String contentType) {
				TestHttpRequest request = request(HttpMethod.POST, caller, Map.of(), body).withHeader("content-type",
						contentType);
				return answer(postMessageHandler().run(request, new TestExecutionContext("postMessage")));
			}

			@Override
			public Answer messageHistory(Caller caller, HistoryQuery query) {
				Map<String, String> parameters = new LinkedHashMap<>();
				parameters.put("room", query.room());
				if (query.before() != null) {
					parameters.put("before", query.before());
				}
				if (query.beforeId() != null) {
					parameters.put("beforeId", query.beforeId());
				}
				if (query.limit() != null) {
					parameters.put("limit", query.limit());
				}
				TestHttpRequest request = request(HttpMethod.GET, caller, parameters, null);
				return answer(messageHistoryHandler().run(request, new TestExecutionContext("messageHistory")));
			}

			@Override
			public Answer broadcastMessage(Caller caller, JsonNode message) {
				throw new UnsupportedOperationException(
						"The Azure function app has no broadcastMessage function: postMessage broadcasts");
			}

			@Override
			public void listen(String room) {
				// The FCM server records every send from the start.
			}

			@Override
			public List<String> pushed(String room) {
				// A room's messages go to the FCM topic named as the room, their whole
				// text in the data's text field.
				return fcm().sends()
					.stream()
					.map((send) -> json.readTree(send.body()).path("message"))
					.filter((message) -> room.equals(message.path("topic").asString("")))
					.map((message) -> message.path("data").path("text").asString(""))
					.toList();
			}

		};
	}

	/**
	 * A request to {@code /api/messages} as the worker hands it to the function, with the
	 * principal App Service Authentication passes for a signed-in caller.
	 */
	private static TestHttpRequest request(HttpMethod method, Caller caller, Map<String, String> query,
			@Nullable String body) {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("accept", "application/json");
		headers.put("x-functions-key", "test-function-key");
		if (caller != Caller.ANONYMOUS) {
			headers.put("x-ms-client-principal", principal(caller));
		}
		String search = query.entrySet()
			.stream()
			.map((parameter) -> parameter.getKey() + "="
					+ URLEncoder.encode(parameter.getValue(), StandardCharsets.UTF_8))
			.collect(Collectors.joining("&"));
		return new TestHttpRequest(method, URI.create(API + (search.isEmpty() ? "" : "?" + search)), headers,
				new LinkedHashMap<>(query), body);
	}

	/**
	 * The {@code X-MS-CLIENT-PRINCIPAL} of a signed-in caller: its name and its role, as
	 * App Service Authentication writes them.
	 */
	private static String principal(Caller caller) {
		ObjectNode principal = json.createObjectNode().put("auth_typ", "oidc");
		principal.putArray("claims")
			.add(json.createObjectNode().put("typ", "name").put("val", identity(caller)))
			.add(json.createObjectNode().put("typ", "roles").put("val", role(caller)));
		principal.put("name_typ", "name").put("role_typ", "roles");
		return Base64.getEncoder().encodeToString(json.writeValueAsBytes(principal));
	}

	private static String identity(Caller caller) {
		return switch (caller) {
			case VIEWER -> "Vera Viewer";
			case MEMBER -> "Milo Member";
			case ADMIN -> "Adele Admin";
			// App Service Authentication refuses a forged token before the function runs.
			case ANONYMOUS, FORGED -> throw new IllegalArgumentException(caller + " has no principal on Azure");
		};
	}

	private static String role(Caller caller) {
		return switch (caller) {
			case VIEWER -> "viewer";
			case MEMBER -> "member";
			case ADMIN -> "admin";
			case ANONYMOUS, FORGED -> throw new IllegalArgumentException(caller + " has no principal on Azure");
		};
	}

	private static Answer answer(HttpResponseMessage response) {
		Object body = response.getBody();
		byte[] bytes = (body instanceof byte[] raw) ? raw
				: (body != null) ? body.toString().getBytes(StandardCharsets.UTF_8) : new byte[0];
		return Answer.http(response.getStatusCode(), response.getHeader("Content-Type"), bytes);
	}

	private static PostMessageHandler postMessageHandler() {
		if (postMessage == null) {
			throw new IllegalStateException("The function app is not started yet");
		}
		return postMessage;
	}

	private static MessageHistoryHandler messageHistoryHandler() {
		if (messageHistory == null) {
			throw new IllegalStateException("The function app is not started yet");
		}
		return messageHistory;
	}

	private static FcmProtocolServer fcm() {
		if (fcm == null) {
			throw new IllegalStateException("The FCM server is not started yet");
		}
		return fcm;
	}

}
