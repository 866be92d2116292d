package dev.skyfold.chat.gcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.UUID;

import dev.skyfold.gcp.functions.CloudEventsEntryPoint;
import dev.skyfold.gcp.functions.HttpEntryPoint;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.ChatFunctionContract;
import dev.skyfold.testsupport.contract.ChatHost;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.Verdict;
import dev.skyfold.testsupport.loopback.FirestoreEmulatorServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import dev.skyfold.testsupport.loopback.google.FunctionsFrameworkInvoker;
import dev.skyfold.testsupport.loopback.google.GoogleTokenIssuer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The chat functions' contract on Google Cloud Functions: each packaged function under
 * Google's Functions Framework invoker, with Firestore in its emulator, callers signed in
 * with tokens of a Firebase Authentication stand-in whose keys are on loopback, and FCM
 * behind the local FCM protocol server. {@code broadcastMessage} gets the CloudEvent
 * Firestore's Eventarc trigger sends when a message document is created, and answers it
 * with a status only, so its outcome is read from the one line it logs per document.
 */
class GcpChatContractIntegrationTests extends ChatFunctionContract {

	private static final String PROJECT = FirestoreEmulatorServer.PROJECT_ID;

	private static final String CREATED = "google.cloud.firestore.document.v1.created";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static final Map<Caller, String> NAMES = Map.of(Caller.VIEWER, "Vera Viewer", Caller.MEMBER, "Milo Member",
			Caller.ADMIN, "Adele Admin");

	@TempDir
	static Path directory;

	private static final FirestoreEmulatorServer firestore = new FirestoreEmulatorServer();

	private static final List<AutoCloseable> started = new ArrayList<>();

	private static GoogleTokenIssuer tokens;

	private static FcmProtocolServer fcm;

	private static FunctionsFrameworkInvoker postMessage;

	private static FunctionsFrameworkInvoker messageHistory;

	private static FunctionsFrameworkInvoker broadcastMessage;

	@BeforeAll
	static void startTheFunctions() throws IOException {
		firestore.start();
		started.add(firestore);
		tokens = GoogleTokenIssuer.firebase(PROJECT);
		started.add(tokens);
		TestServiceAccount account = TestServiceAccount.create(PROJECT);
		fcm = FcmProtocolServer.start(account);
		started.add(fcm);
		Path key = account.writeKeyFile(directory, fcm.tokenUri());
		Map<String, String> environment = new HashMap<>();
		environment.put("MAIN_CLASS", ChatGcpApplication.class.getName());
		environment.put("SKYFOLD_CHAT_GCP_FIRESTORE_EMULATOR_HOST", firestore.hostPort());
		environment.put("SKYFOLD_CHAT_GCP_FIRESTORE_PROJECT_ID", PROJECT);
		environment.put("SKYFOLD_GCP_AUTH_ISSUERS_0_ISSUER", tokens.issuer());
		environment.put("SKYFOLD_GCP_AUTH_ISSUERS_0_AUDIENCE", tokens.audience());
		environment.put("SKYFOLD_GCP_AUTH_ISSUERS_0_CERTIFICATES", tokens.certificatesUrl());
		postMessage = start(HttpEntryPoint.class, "postMessage", environment);
		messageHistory = start(HttpEntryPoint.class, "messageHistory", environment);
		environment.put("SKYFOLD_CHAT_FCM_ENABLED", "true");
		environment.put("SKYFOLD_CHAT_FCM_CREDENTIALS", key.toString());
		environment.put("SKYFOLD_CHAT_FCM_BASE_URL", fcm.baseUrl());
		broadcastMessage = start(CloudEventsEntryPoint.class, "broadcastMessage", environment);
	}

	@AfterAll
	static void stopTheFunctions() throws Exception {
		for (int last = started.size() - 1; last >= 0; last--) {
			started.get(last).close();
		}
	}

	private static FunctionsFrameworkInvoker start(Class<?> entryPoint, String function,
			Map<String, String> environment) {
		Map<String, String> settings = new HashMap<>(environment);
		settings.put("SPRING_CLOUD_FUNCTION_DEFINITION", function);
		FunctionsFrameworkInvoker invoker = new FunctionsFrameworkInvoker(
				List.of(Path.of(System.getProperty("skyfold.gcp.function.jar"))), entryPoint.getName(), settings);
		started.add(invoker);
		return invoker.start();
	}

	@Test
	void answersAnotherMethodWith405NamingTheOneItTakes() {
		HttpResponse<String> get = exchange(
				authorized(HttpRequest.newBuilder(postMessage.url()), Caller.MEMBER).GET().build());
		assertThat(get.statusCode()).isEqualTo(405);
		assertThat(get.headers().firstValue("Allow")).hasValue("POST");
		assertThat(get.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/problem+json"));
		HttpResponse<String> delete = exchange(
				authorized(HttpRequest.newBuilder(messageHistory.url()), Caller.VIEWER).DELETE().build());
		assertThat(delete.statusCode()).isEqualTo(405);
		assertThat(delete.headers().firstValue("Allow")).hasValue("GET");
	}

	@Override
	protected ChatHost chatHost() {
		return new ChatHost() {

			@Override
			public Host host() {
				return Host.GCP;
			}

			@Override
			public String author(Caller caller) {
				return NAMES.get(caller);
			}

			@Override
			public Answer postMessage(Caller caller, String body, String contentType) {
				return send(authorized(HttpRequest.newBuilder(postMessage.url()), caller)
					.header("Content-Type", contentType)
					.POST(BodyPublishers.ofString(body)));
			}

			@Override
			public Answer messageHistory(Caller caller, HistoryQuery query) {
				StringJoiner parameters = new StringJoiner("&", "?", "");
				parameters.add("room=" + encode(query.room()));
				add(parameters, "before", query.before());
				add(parameters, "beforeId", query.beforeId());
				add(parameters, "limit", query.limit());
				return send(
						authorized(HttpRequest.newBuilder(messageHistory.url().resolve(parameters.toString())), caller)
							.GET());
			}

			@Override
			public Answer broadcastMessage(Caller caller, JsonNode message) {
				String document = "projects/" + PROJECT + "/databases/(default)/documents/rooms/"
						+ message.path("room").asString() + "/messages/m_" + message.path("id").asString();
				int logged = broadcastMessage.logLines().size();
				HttpResponse<String> answer = exchange(created(document, message));
				List<String> messages = broadcastMessage.messagesSince(logged, "BroadcastMessageHandler");
				if (answer.statusCode() != 200) {
					return Answer.refused(Verdict.FAILED, "HTTP " + answer.statusCode() + ": " + messages);
				}
				for (String line : messages) {
					if (line.startsWith("Skipped " + document + ": ")) {
						return Answer.refused(Verdict.REJECTED,
								line.substring(("Skipped " + document + ": ").length()));
					}
					if (line.startsWith("Broadcast " + document + " to ")) {
						return Answer.done(JSON.createObjectNode().put("delivered", line));
					}
				}
				return Answer.refused(Verdict.FAILED, "No outcome for " + document + " in the log: " + messages);
			}

			@Override
			public void listen(String room) {
				// The FCM server records every send from the start.
			}

			@Override
			public List<String> pushed(String room) {
				// A room's messages go to the FCM topic named as the room, their whole
				// text in
				// the data's text field.
				return fcm.sends()
					.stream()
					.map((send) -> JSON.readTree(send.body()).path("message"))
					.filter((message) -> room.equals(message.path("topic").asString("")))
					.map((message) -> message.path("data").path("text").asString(""))
					.toList();
			}

		};
	}

	private static HttpRequest.Builder authorized(HttpRequest.Builder request, Caller caller) {
		request.timeout(Duration.ofSeconds(60));
		return switch (caller) {
			case ANONYMOUS -> request;
			case FORGED -> request.header("Authorization", "Bearer " + tokens.forged("forger"));
			default -> {
				String role = caller.name().toLowerCase(Locale.ROOT);
				yield request.header("Authorization", "Bearer " + tokens.token(role, NAMES.get(caller), role));
			}
		};
	}

	/**
	 * A CloudEvent in binary mode, as Eventarc delivers Firestore's document-created
	 * event as JSON.
	 */
	private static HttpRequest created(String document, JsonNode message) {
		ObjectNode data = (ObjectNode) JSON.readTree(sample("firestore-document-created.json"));
		ObjectNode value = (ObjectNode) data.get("value");
		value.put("name", document);
		ObjectNode fields = value.putObject("fields");
		for (String field : List.of("id", "room", "author", "text", "createdAt")) {
			fields.putObject(field).put("stringValue", message.path(field).asString());
		}
		return HttpRequest.newBuilder(broadcastMessage.url())
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.header("ce-specversion", "1.0")
			.header("ce-id", UUID.randomUUID().toString())
			.header("ce-type", CREATED)
			.header("ce-source", "//firestore.googleapis.com/projects/" + PROJECT + "/databases/(default)")
			.header("ce-subject", document.substring(document.indexOf("documents/")))
			.header("ce-time", Instant.now().toString())
			.POST(BodyPublishers.ofString(data.toString()))
			.build();
	}

	private static Answer send(HttpRequest.Builder request) {
		HttpResponse<String> response = exchange(request.build());
		return Answer.http(response.statusCode(), response.headers().firstValue("Content-Type").orElse(null),
				response.body().getBytes(StandardCharsets.UTF_8));
	}

	private static HttpResponse<String> exchange(HttpRequest request) {
		try {
			return HTTP.send(request, BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void add(StringJoiner parameters, String name, @Nullable String value) {
		if (value != null) {
			parameters.add(name + "=" + encode(value));
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static String sample(String name) {
		try (InputStream in = GcpChatContractIntegrationTests.class.getResourceAsStream("/events/" + name)) {
			if (in == null) {
				throw new IllegalStateException("No sample event " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
