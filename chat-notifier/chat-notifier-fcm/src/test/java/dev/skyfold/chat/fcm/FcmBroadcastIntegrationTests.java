package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.concurrent.TimeUnit;

import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer.RecordedSend;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer.Reply;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The real Firebase Admin SDK, built by the real auto-configurations, sending to a local
 * server that speaks FCM HTTP v1 and Google's token endpoint.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FcmBroadcastIntegrationTests {

	private static final String PROJECT = "skyfold-test";

	private static final int MAX_RETRIES = 2;

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final ChatMessage MESSAGE = new ChatMessage("3f1c9a52-7d0e-4b8a-9c61-2e5d8f4a0b17", "general", "Ada",
			"Hello, FCM! Ünïcödé and 🚀 survive the trip.", Instant.parse("2025-05-01T10:15:30.123456Z"));

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
	void sendsTheMessageToTheRoomsTopicAsNotificationAndData() {
		run((context) -> {
			BroadcastResult result = broadcast(context, MESSAGE);

			assertThat(result.failed()).isEmpty();
			assertThat(result.delivered()).contains(FcmBroadcaster.NAME);
			assertThat(this.server.sends()).hasSize(1);
			RecordedSend send = this.server.sends().get(0);
			assertThat(send.method()).isEqualTo("POST");
			assertThat(send.path()).isEqualTo("/v1/projects/" + PROJECT + "/messages:send");
			assertThat(json.readTree(send.body())).isEqualTo(json.readTree("""
					{"message": {
					  "topic": "general",
					  "notification": {"title": "New Message", "body": "Hello, FCM! Ünïcödé and 🚀 survive the trip."},
					  "data": {
					    "id": "3f1c9a52-7d0e-4b8a-9c61-2e5d8f4a0b17",
					    "room": "general",
					    "author": "Ada",
					    "text": "Hello, FCM! Ünïcödé and 🚀 survive the trip.",
					    "createdAt": "2025-05-01T10:15:30.123456Z"
					  }
					}}
					"""));
		});
	}

	@Test
	void authorisesEverySendWithTheTokenTheServiceAccountObtained() {
		this.server.reply(Reply.fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."),
				Reply.ok());
		run((context) -> {
			broadcast(context, MESSAGE);
			broadcast(context, MESSAGE);

			assertThat(this.server.sends()).hasSize(3)
				.allSatisfy((send) -> assertThat(send.authorization()).isEqualTo("Bearer " + FcmProtocolServer.TOKEN));
			assertThat(this.server.tokenRequests()).isOne();
			assertThat(this.server.rejectedTokenRequests()).isZero();
		});
	}

	@Test
	void authenticatesWithAKeyTheHostSuppliesAndSendsToItsProject() throws IOException {
		FcmCredentials credentials = FcmCredentials.serviceAccountKey(Files.readString(this.keyFile), "test key");
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(FcmAutoConfiguration.class, ChatNotifierAutoConfiguration.class))
			.withBean(FcmCredentials.class, () -> credentials)
			.withPropertyValues("skyfold.chat.fcm.enabled=true", "skyfold.chat.fcm.base-url=" + this.server.baseUrl(),
					"skyfold.chat.fcm.timeout=5s")
			.run((context) -> {
				BroadcastResult result = broadcast(context, MESSAGE);

				assertThat(result.failed()).isEmpty();
				assertThat(this.server.tokenRequests()).isOne();
				assertThat(this.server.rejectedTokenRequests()).isZero();
				assertThat(this.server.sends()).singleElement().satisfies((send) -> {
					assertThat(send.path()).isEqualTo("/v1/projects/" + PROJECT + "/messages:send");
					assertThat(send.authorization()).isEqualTo("Bearer " + FcmProtocolServer.TOKEN);
				});
			});
	}

	@Test
	void usesTheConfiguredTitleAndCutsTheBodyToTheConfiguredLength() {
		run((context) -> {
			broadcast(context, new ChatMessage("m-2", "general", "Ada", "abcdefghij", MESSAGE.createdAt()));

			var message = json.readTree(this.server.sends().get(0).body()).path("message");
			assertThat(message.path("notification").path("title").asString()).isEqualTo("Psst");
			assertThat(message.path("notification").path("body").asString()).isEqualTo("abcde…");
			assertThat(message.path("data").path("text").asString()).isEqualTo("abcdefghij");
		}, "skyfold.chat.fcm.title=Psst", "skyfold.chat.fcm.body-length=6");
	}

	@Test
	void retriesUnavailableAndDeliversOnTheSecondAttempt() {
		this.server.reply(Reply.fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."),
				Reply.ok());
		run((context) -> {
			BroadcastResult result = broadcast(context, MESSAGE);

			assertThat(result.delivered()).contains(FcmBroadcaster.NAME);
			assertThat(result.failed()).isEmpty();
			assertThat(this.server.sends()).hasSize(2);
			assertThat(this.server.sends().get(1).body()).isEqualTo(this.server.sends().get(0).body());
			assertThat(context.getBean(MeterRegistry.class).find(BroadcastService.FAILURES).counters()).isEmpty();
		});
	}

	@Test
	void retriesServerErrorsWithoutFcmErrorDetails() {
		this.server.reply(Reply.text(500, "Internal Server Error"), Reply.ok());
		run((context) -> {
			BroadcastResult result = broadcast(context, MESSAGE);

			assertThat(result.failed()).isEmpty();
			assertThat(this.server.sends()).hasSize(2);
		});
	}

	@Test
	void givesUpOnInvalidArgumentWithoutRetrying() {
		this.server.reply(
				Reply.fcmError(400, "INVALID_ARGUMENT", "INVALID_ARGUMENT", "Request contains an invalid argument."));
		run((context) -> {
			BroadcastResult result = broadcast(context, MESSAGE);

			assertThat(result.failed()).containsExactly(FcmBroadcaster.NAME);
			assertThat(result.delivered()).doesNotContain(FcmBroadcaster.NAME);
			assertThat(this.server.sends()).hasSize(1);
			assertThat(failures(context, false)).isEqualTo(1.0);
			assertThat(failures(context, true)).isZero();
		});
	}

	@Test
	void givesUpOnPersistentUnavailabilityAfterTheConfiguredRetries() {
		this.server.reply(Reply.fcmError(503, "UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."));
		run((context) -> {
			BroadcastResult result = broadcast(context, MESSAGE);

			assertThat(result.failed()).containsExactly(FcmBroadcaster.NAME);
			// The SDK's own retries (four more per attempt) are off: BroadcastService's
			// are all.
			assertThat(this.server.sends()).hasSize(1 + MAX_RETRIES);
			assertThat(failures(context, true)).isEqualTo(1.0);
			assertThat(failures(context, false)).isZero();
		});
	}

	@Test
	@Timeout(value = 12, unit = TimeUnit.SECONDS) // Not 1 + MAX_RETRIES waits for the
													// timeout
	void treatsAnUnreachableServerAsTransientWithoutWaitingForTheTimeout() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		run((context) -> {
			BroadcastResult result = broadcast(context, MESSAGE);

			assertThat(result.failed()).containsExactly(FcmBroadcaster.NAME);
			assertThat(failures(context, true)).isEqualTo(1.0);
			assertThat(this.server.tokenRequests()).isOne();
		}, "skyfold.chat.fcm.base-url=http://127.0.0.1:" + closedPort);
	}

	@Test
	@Timeout(value = 20, unit = TimeUnit.SECONDS)
	void treatsAnAnswerThatDoesNotComeInTimeAsTransient() {
		this.server.reply(Reply.STALL);
		run((context) -> {
			BroadcastResult result = broadcast(context, MESSAGE);

			assertThat(result.failed()).containsExactly(FcmBroadcaster.NAME);
			assertThat(this.server.sends()).hasSize(1 + MAX_RETRIES);
			assertThat(failures(context, true)).isEqualTo(1.0);
		}, "skyfold.chat.fcm.timeout=500ms");
	}

	private void run(ContextConsumer<AssertableApplicationContext> test, String... properties) {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(FcmAutoConfiguration.class, ChatNotifierAutoConfiguration.class))
			.withBean(SimpleMeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("skyfold.chat.fcm.enabled=true", "skyfold.chat.fcm.project-id=" + PROJECT,
					"skyfold.chat.fcm.credentials=" + this.keyFile,
					"skyfold.chat.fcm.base-url=" + this.server.baseUrl(), "skyfold.chat.fcm.timeout=5s",
					"skyfold.chat.broadcast.max-retries=" + MAX_RETRIES, "skyfold.chat.broadcast.initial-delay=10ms",
					"skyfold.chat.broadcast.max-delay=50ms")
			.withPropertyValues(properties)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				test.accept(context);
			});
	}

	private static BroadcastResult broadcast(AssertableApplicationContext context, ChatMessage message) {
		return context.getBean(BroadcastMessageFunction.class).apply(message);
	}

	private static double failures(AssertableApplicationContext context, boolean transientFailure) {
		Counter counter = context.getBean(MeterRegistry.class)
			.find(BroadcastService.FAILURES)
			.tag("broadcaster", FcmBroadcaster.NAME)
			.tag("transient", Boolean.toString(transientFailure))
			.counter();
		return (counter != null) ? counter.count() : 0;
	}

}
