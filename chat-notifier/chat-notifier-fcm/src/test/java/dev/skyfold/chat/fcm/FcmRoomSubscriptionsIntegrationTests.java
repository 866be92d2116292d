package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;

import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.SubscribeToRoomFunction;
import dev.skyfold.chat.application.UnsubscribeFromRoomFunction;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.DroppedToken;
import dev.skyfold.chat.domain.RoomSubscriptionRequest;
import dev.skyfold.chat.domain.RoomSubscriptionResult;
import dev.skyfold.chat.port.RoomSubscriptionException;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer.Reply;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer.TopicManagementCall;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.ContextConsumer;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@code subscribeToRoom} and {@code unsubscribeFromRoom} as every host builds them: the
 * real auto-configurations and the real Firebase Admin SDK, managing topics through a
 * local server that speaks the Instance ID API and Google's token endpoint, and keeps
 * each token's topics.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FcmRoomSubscriptionsIntegrationTests {

	private static final String PROJECT = "skyfold-test";

	private static final JsonMapper json = JsonMapper.builder().build();

	/** Shaped like FCM registration tokens. */
	private static final String PHONE = "fQ1x9z:APA91bE" + "p".repeat(140);

	private static final String TABLET = "cV7k2m:APA91bG" + "t".repeat(140);

	private static final String UNINSTALLED = "eB3n8r:APA91bH" + "u".repeat(140);

	private static final String GARBLED = "not-a-token";

	private static TestServiceAccount account;

	@TempDir
	Path directory;

	private FcmProtocolServer server;

	private Path keyFile;

	@BeforeAll
	static void createAccount() {
		account = TestServiceAccount.create(PROJECT);
	}

	@BeforeEach
	void startServer() throws IOException {
		this.server = FcmProtocolServer.start(account);
		this.keyFile = account.writeKeyFile(this.directory, this.server.tokenUri());
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void subscribesTheTokensToTheRoomsTopicThroughTheInstanceIdApi() {
		run((context) -> {
			RoomSubscriptionResult result = subscribe(context,
					new RoomSubscriptionRequest("general", null, List.of(PHONE, TABLET)));

			assertThat(result).isEqualTo(new RoomSubscriptionResult("general", List.of(PHONE, TABLET), List.of()));
			assertThat(this.server.subscribers("general")).containsExactlyInAnyOrder(PHONE, TABLET);
			assertThat(this.server.topicManagementCalls()).singleElement().satisfies((call) -> {
				assertThat(call.path()).isEqualTo("/iid/v1:batchAdd");
				assertThat(call.authorization()).isEqualTo("Bearer " + FcmProtocolServer.TOKEN);
				assertThat(call.accessTokenAuth()).isEqualTo("true");
				assertThat(json.readTree(call.body())).isEqualTo(json.readTree(
						"{\"to\":\"/topics/general\",\"registration_tokens\":[\"" + PHONE + "\",\"" + TABLET + "\"]}"));
			});
			assertThat(this.server.tokenRequests()).isOne();
			assertThat(this.server.rejectedTokenRequests()).isZero();
			assertThat(this.server.sends()).isEmpty();
		});
	}

	@Test
	void unsubscribesTheTokensFromTheRoomsTopicOnly() {
		this.server.subscribe("general", PHONE);
		this.server.subscribe("general", TABLET);
		this.server.subscribe("random", PHONE);
		run((context) -> {
			RoomSubscriptionResult result = unsubscribe(context, new RoomSubscriptionRequest("general", PHONE));

			assertThat(result).isEqualTo(new RoomSubscriptionResult("general", List.of(PHONE), List.of()));
			assertThat(this.server.subscribers("general")).containsExactly(TABLET);
			assertThat(this.server.topicsOf(PHONE)).containsExactly("random");
			assertThat(this.server.topicManagementCalls()).singleElement()
				.satisfies((call) -> assertThat(call.path()).isEqualTo("/iid/v1:batchRemove"))
				.extracting(TopicManagementCall::topic)
				.isEqualTo("general");
		});
	}

	@Test
	void subscribesAndUnsubscribesJsonRequestsThroughTheFunctionCatalog() {
		run((context) -> {
			Object subscribed = lookup(context, "subscribeToRoom")
				.apply(jsonMessage("{\"room\":\"general\",\"registrationToken\":\"" + PHONE + "\"}"));
			assertThat(subscribed).isEqualTo(new RoomSubscriptionResult("general", List.of(PHONE), List.of()));
			assertThat(this.server.subscribers("general")).containsExactly(PHONE);

			Object unsubscribed = lookup(context, "unsubscribeFromRoom")
				.apply(jsonMessage("{\"room\":\"general\",\"registrationTokens\":[\"" + PHONE + "\"]}"));
			assertThat(unsubscribed).isEqualTo(new RoomSubscriptionResult("general", List.of(PHONE), List.of()));
			assertThat(this.server.subscribers("general")).isEmpty();
		});
	}

	@Test
	void reportsUnregisteredAndInvalidTokensDroppedAndSubscribesTheOthersOfTheSameCall() {
		this.server.markUnregistered(UNINSTALLED);
		this.server.markInvalid(GARBLED);
		run((context) -> {
			RoomSubscriptionResult result = subscribe(context,
					new RoomSubscriptionRequest("general", null, List.of(UNINSTALLED, PHONE, GARBLED, TABLET)));

			assertThat(result.accepted()).containsExactly(PHONE, TABLET);
			assertThat(result.dropped()).containsExactly(
					new DroppedToken(UNINSTALLED, "registration-token-not-registered"),
					new DroppedToken(GARBLED, "invalid-argument"));
			assertThat(this.server.subscribers("general")).containsExactlyInAnyOrder(PHONE, TABLET);
			assertThat(this.server.topicsOf(UNINSTALLED)).isEmpty();
			assertThat(this.server.topicsOf(GARBLED)).isEmpty();
			// Dropped, not retried.
			assertThat(this.server.topicManagementCalls()).hasSize(1);
		});
	}

	@Test
	void reportsAnUnregisteredTokenDroppedWhenUnsubscribingItToo() {
		this.server.markUnregistered(UNINSTALLED);
		run((context) -> {
			RoomSubscriptionResult result = unsubscribe(context,
					new RoomSubscriptionRequest("general", null, List.of(UNINSTALLED)));

			assertThat(result.accepted()).isEmpty();
			assertThat(result.dropped())
				.containsExactly(new DroppedToken(UNINSTALLED, "registration-token-not-registered"));
		});
	}

	@Test
	void changesNothingOnTheServerForBadInput() {
		this.server.subscribe("general", PHONE);
		List<@Nullable String> tooMany = new ArrayList<>(IntStream.range(0, 101).mapToObj((i) -> PHONE + i).toList());
		run((context) -> {
			assertRejected(() -> subscribe(context, new RoomSubscriptionRequest("General", TABLET)), Rejection.INVALID);
			assertRejected(() -> subscribe(context, new RoomSubscriptionRequest("/topics/general", TABLET)),
					Rejection.INVALID);
			assertRejected(() -> subscribe(context, new RoomSubscriptionRequest("general", " ")), Rejection.INVALID);
			assertRejected(() -> subscribe(context, new RoomSubscriptionRequest("general", null, List.of())),
					Rejection.INVALID);
			assertRejected(() -> subscribe(context, new RoomSubscriptionRequest("general", "t".repeat(4097))),
					Rejection.TOO_LARGE);
			assertRejected(() -> subscribe(context, new RoomSubscriptionRequest("general", null, tooMany)),
					Rejection.TOO_LARGE);
			assertRejected(() -> unsubscribe(context, new RoomSubscriptionRequest("general", PHONE + " x")),
					Rejection.INVALID);
			assertRejected(() -> lookup(context, "unsubscribeFromRoom")
				.apply(jsonMessage("{\"room\":\"general\",\"registrationToken\":\"" + PHONE
						+ "\",\"registrationTokens\":[\"" + PHONE + "\"]}")),
					Rejection.INVALID);

			assertThat(this.server.topicManagementCalls()).isEmpty();
			assertThat(this.server.subscribers("general")).containsExactly(PHONE);
			assertThat(this.server.topicsOf(TABLET)).isEmpty();
		});
	}

	@Test
	void failsAsAWholeWithoutRetryingOrSubscribingWhenFcmIsUnavailable() {
		this.server.replyToTopicManagement(Reply.json(503, "{\"error\":\"Service unavailable\"}"));
		run((context) -> {
			assertThatExceptionOfType(RoomSubscriptionException.class)
				.isThrownBy(
						() -> subscribe(context, new RoomSubscriptionRequest("general", null, List.of(PHONE, TABLET))))
				.satisfies((ex) -> assertThat(ex.isTransient()).isTrue())
				.withMessageContaining("topic general");
			// The SDK's own retries are off: the host answers, the client may try again.
			assertThat(this.server.topicManagementCalls()).hasSize(1);
			assertThat(this.server.subscribers("general")).isEmpty();
		});
	}

	@Test
	void failsAsAWholeForGoodWhenFcmRefusesTheCall() {
		this.server.replyToTopicManagement(Reply.json(400, "{\"error\":\"InvalidRequest\"}"));
		run((context) -> assertThatExceptionOfType(RoomSubscriptionException.class)
			.isThrownBy(() -> unsubscribe(context, new RoomSubscriptionRequest("general", PHONE)))
			.satisfies((ex) -> assertThat(ex.isTransient()).isFalse()));
	}

	@Test
	void refusesAnAnswerThatDoesNotAccountForEveryToken() {
		this.server.replyToTopicManagement(Reply.json(200, "{\"results\":[{}]}"));
		run((context) -> assertThatExceptionOfType(RoomSubscriptionException.class)
			.isThrownBy(() -> subscribe(context, new RoomSubscriptionRequest("general", null, List.of(PHONE, TABLET))))
			.withMessageContaining("1 result(s) for 2 token(s)"));
	}

	@Test
	@Timeout(value = 12, unit = TimeUnit.SECONDS)
	void treatsAnUnreachableServerAsTransient() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		run((context) -> assertThatExceptionOfType(RoomSubscriptionException.class)
			.isThrownBy(() -> subscribe(context, new RoomSubscriptionRequest("general", PHONE)))
			.satisfies((ex) -> assertThat(ex.isTransient()).isTrue()),
				"skyfold.chat.fcm.base-url=http://127.0.0.1:" + closedPort);
	}

	@Test
	void pushesARoomsMessagesToTheTopicItsDevicesAreSubscribedTo() {
		run((context) -> {
			subscribe(context, new RoomSubscriptionRequest("room-42", PHONE));
			context.getBean(BroadcastMessageFunction.class)
				.apply(new ChatMessage("m-1", "room-42", "Ada", "Hi", Instant.parse("2026-03-01T12:00:00Z")));

			String topic = this.server.topicManagementCalls().get(0).topic();
			assertThat(topic).isEqualTo("room-42");
			assertThat(this.server.sends()).singleElement()
				.satisfies((send) -> assertThat(json.readTree(send.body()).path("message").path("topic").asString())
					.isEqualTo(topic));
			assertThat(this.server.subscribers(topic)).containsExactly(PHONE);
		});
	}

	private void run(ContextConsumer<AssertableApplicationContext> test, String... properties) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(FcmAutoConfiguration.class, ChatNotifierAutoConfiguration.class,
					ContextFunctionCatalogAutoConfiguration.class))
			.withPropertyValues("skyfold.chat.fcm.enabled=true", "skyfold.chat.fcm.project-id=" + PROJECT,
					"skyfold.chat.fcm.credentials=" + this.keyFile,
					"skyfold.chat.fcm.base-url=" + this.server.baseUrl(), "skyfold.chat.fcm.timeout=5s",
					"skyfold.chat.broadcast.max-retries=0")
			.withPropertyValues(properties)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				test.accept(context);
			});
	}

	private static RoomSubscriptionResult subscribe(AssertableApplicationContext context,
			RoomSubscriptionRequest request) {
		return context.getBean(SubscribeToRoomFunction.NAME, SubscribeToRoomFunction.class).apply(request);
	}

	private static RoomSubscriptionResult unsubscribe(AssertableApplicationContext context,
			RoomSubscriptionRequest request) {
		return context.getBean(UnsubscribeFromRoomFunction.NAME, UnsubscribeFromRoomFunction.class).apply(request);
	}

	private static FunctionInvocationWrapper lookup(AssertableApplicationContext context, String name) {
		FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class).lookup(name);
		assertThat(function).as("function '%s' in the catalog", name).isNotNull();
		return function;
	}

	private static Message<byte[]> jsonMessage(String body) {
		return MessageBuilder.withPayload(body.getBytes(StandardCharsets.UTF_8))
			.setHeader(MessageHeaders.CONTENT_TYPE, "application/json")
			.build();
	}

	private static void assertRejected(Runnable call, Rejection rejection) {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(call::run)
			.satisfies((ex) -> assertThat(RejectedInputException.findIn(ex)).as("rejection in %s", ex.toString())
				.isNotNull()
				.extracting(RejectedInputException::rejection)
				.isEqualTo(rejection));
	}

}
