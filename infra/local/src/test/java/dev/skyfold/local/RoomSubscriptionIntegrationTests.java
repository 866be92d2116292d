package dev.skyfold.local;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;

import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.json;
import static dev.skyfold.local.LocalApi.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Devices subscribing to a room's FCM topic through the local app with FCM on: the real
 * Firebase Admin SDK manages topics on a local server speaking FCM's protocol. A
 * signed-in viewer may subscribe and unsubscribe; a caller that is not signed in changes
 * nothing.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class RoomSubscriptionIntegrationTests {

	private static final String PROJECT = "skyfold-local-test";

	private static final Path WORK = createWorkFolder();

	private static final TestServiceAccount ACCOUNT = TestServiceAccount.create(PROJECT);

	private static final FcmProtocolServer fcm = startFcm();

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void fcmOn(DynamicPropertyRegistry registry) throws IOException {
		Path keyFile = ACCOUNT.writeKeyFile(WORK, fcm.tokenUri());
		registry.add("skyfold.local.data", () -> WORK.resolve("data").toString());
		registry.add("skyfold.chat.fcm.enabled", () -> "true");
		registry.add("skyfold.chat.fcm.project-id", () -> PROJECT);
		registry.add("skyfold.chat.fcm.credentials", keyFile::toString);
		registry.add("skyfold.chat.fcm.base-url", fcm::baseUrl);
	}

	@AfterAll
	static void stop() {
		fcm.close();
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void letsAViewerSubscribeAndUnsubscribeTheirDevice() {
		LocalApi viewer = LocalApi.as(this.port, "test-viewer");

		HttpResponse<byte[]> subscribed = viewer.postJson("subscribeToRoom",
				"{\"room\":\"alerts\",\"registrationToken\":\"phone-1\"}");

		assertThat(subscribed.statusCode()).as(text(subscribed)).isEqualTo(200);
		assertThat(fcm.subscribers("alerts")).containsExactly("phone-1");

		HttpResponse<byte[]> unsubscribed = viewer.postJson("unsubscribeFromRoom",
				"{\"room\":\"alerts\",\"registrationToken\":\"phone-1\"}");

		assertThat(unsubscribed.statusCode()).as(text(unsubscribed)).isEqualTo(200);
		assertThat(fcm.subscribers("alerts")).isEmpty();
	}

	@Test
	void reportsADeviceFcmNoLongerKnowsAsDropped() {
		fcm.markUnregistered("uninstalled");

		HttpResponse<byte[]> response = LocalApi.as(this.port, "test-viewer")
			.postJson("subscribeToRoom", "{\"room\":\"news\",\"registrationTokens\":[\"tablet-1\",\"uninstalled\"]}");

		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		JsonNode result = json(response);
		assertThat(result.toString()).contains("uninstalled").contains("registration-token-not-registered");
		assertThat(fcm.subscribers("news")).containsExactly("tablet-1");
	}

	@Test
	void refusesACallerThatIsNotSignedInAndSubscribesNothing() {
		int calls = fcm.topicManagementCalls().size();

		assertProblem(LocalApi.anonymous(this.port)
			.postJson("subscribeToRoom", "{\"room\":\"secret\",\"registrationToken\":\"intruder\"}"), 401);

		assertThat(fcm.topicManagementCalls()).hasSize(calls);
		assertThat(fcm.topicsOf("intruder")).isEmpty();
	}

	private static FcmProtocolServer startFcm() {
		try {
			return FcmProtocolServer.start(ACCOUNT);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-subscriptions-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
