package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * How a host hands the FCM broadcaster a service-account key it keeps elsewhere than in a
 * file, and what it is told when that key is not one.
 */
class FcmCredentialsTests {

	private static final String SOURCE = "secret skyfold/fcm";

	private static TestServiceAccount account;

	private static String key;

	@TempDir
	static Path directory;

	@BeforeAll
	static void createKey() throws IOException {
		account = TestServiceAccount.create("skyfold-test");
		key = Files.readString(account.writeKeyFile(directory, "http://127.0.0.1:9/token"));
	}

	@Test
	void readsTheServiceAccountAndItsProjectFromTheKey() {
		GoogleCredentials credentials = FcmCredentials.serviceAccountKey(key, SOURCE).googleCredentials();

		assertThat(credentials).isInstanceOfSatisfying(ServiceAccountCredentials.class, (serviceAccount) -> {
			assertThat(serviceAccount.getClientEmail()).isEqualTo(account.clientEmail());
			assertThat(serviceAccount.getProjectId()).isEqualTo("skyfold-test");
			assertThat(serviceAccount.getPrivateKey().getEncoded())
				.isEqualTo(account.keyPair().getPrivate().getEncoded());
			assertThat(serviceAccount.getTokenServerUri()).hasToString("http://127.0.0.1:9/token");
		});
	}

	@Test
	void passesOnCredentialsTheHostAlreadyHas() {
		GoogleCredentials credentials = FcmCredentials.serviceAccountKey(key, SOURCE).googleCredentials();

		assertThat(FcmCredentials.of(credentials).googleCredentials()).isSameAs(credentials);
	}

	@Test
	void rejectsAKeyWithoutItsPrivateKeyNamingTheSourceButNotTheText() {
		String incomplete = key.replaceAll("\"client_email\":\"[^\"]*\",", "");

		assertThatIllegalArgumentException().isThrownBy(() -> FcmCredentials.serviceAccountKey(incomplete, SOURCE))
			.withMessageStartingWith("The secret skyfold/fcm is not a Google service-account key")
			.withMessageContaining("client_email")
			.satisfies((failure) -> assertThat(chain(failure)).doesNotContain(secretPart()));
	}

	@Test
	void rejectsABrokenPrivateKeyWithoutQuotingIt() {
		String broken = key.replace(secretPart(), secretPart().substring(0, 10));

		assertThatIllegalArgumentException().isThrownBy(() -> FcmCredentials.serviceAccountKey(broken, SOURCE))
			.withMessageStartingWith("The secret skyfold/fcm is not a Google service-account key")
			.satisfies((failure) -> assertThat(chain(failure)).doesNotContain(secretPart().substring(0, 10)));
	}

	@Test
	void rejectsTextThatIsNotJsonWithoutQuotingIt() {
		String text = "MIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC";

		assertThatIllegalArgumentException().isThrownBy(() -> FcmCredentials.serviceAccountKey(text, SOURCE))
			.withMessageStartingWith("The secret skyfold/fcm is not a Google service-account key")
			.satisfies((failure) -> assertThat(chain(failure)).doesNotContain(text.substring(0, 8)));
	}

	@Test
	void rejectsOtherKindsOfGoogleCredentials() {
		String user = "{\"type\":\"authorized_user\",\"client_id\":\"id\",\"client_secret\":\"s3cr3t\","
				+ "\"refresh_token\":\"r3fr3sh\"}";

		assertThatIllegalArgumentException().isThrownBy(() -> FcmCredentials.serviceAccountKey(user, SOURCE))
			.withMessageContaining("service_account")
			.satisfies((failure) -> assertThat(chain(failure)).doesNotContain("s3cr3t", "r3fr3sh"));
	}

	@Test
	void takesAPlatformsSettingOnlyWhenSetAndAlone() {
		assertThat(FcmCredentials.platformSetting("skyfold/fcm", "skyfold.x.secret", "must name a secret", null,
				"the secret here"))
			.isEqualTo("skyfold/fcm");
		assertThatIllegalStateException()
			.isThrownBy(() -> FcmCredentials.platformSetting(" ", "skyfold.x.secret", "must name a secret", null,
					"the secret here"))
			.withMessage("skyfold.x.secret must name a secret");
		assertThatIllegalStateException()
			.isThrownBy(() -> FcmCredentials.platformSetting("skyfold/fcm", "skyfold.x.secret", "must name a secret",
					Path.of("key.json"), "the secret here"))
			.withMessage("Both skyfold.chat.fcm.credentials and skyfold.x.secret name FCM credentials: "
					+ "set one, the secret here");
	}

	/** A stretch of the private key's PEM, which no message may quote. */
	private static String secretPart() {
		String pem = account.privateKeyPem();
		return pem.substring(pem.indexOf('\n') + 1, pem.indexOf('\n') + 41);
	}

	private static String chain(Throwable failure) {
		StringBuilder messages = new StringBuilder();
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			messages.append(cause).append('\n');
		}
		return messages.toString();
	}

}
