package dev.skyfold.chat.aws.secretsmanager;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;

import dev.skyfold.testsupport.loopback.aws.SecretsManagerServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The real AWS SDK reading secrets from a local server that speaks Secrets Manager's
 * protocol.
 */
class SecretReaderIntegrationTests {

	private SecretsManagerServer server;

	private SecretsManagerClient client;

	@BeforeEach
	void start() throws IOException {
		this.server = SecretsManagerServer.start();
		this.client = client(this.server.endpoint());
	}

	@AfterEach
	void stop() {
		this.client.close();
		this.server.close();
	}

	@Test
	void readsTheSecretStringByArnWithASignedGetSecretValue() {
		String arn = this.server.putSecret("skyfold/fcm", "{\"type\":\"service_account\"}");

		assertThat(new SecretReader(this.client).secretString(arn)).isEqualTo("{\"type\":\"service_account\"}");

		assertThat(this.server.requests()).singleElement().satisfies((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.path()).isEqualTo("/");
			assertThat(request.target()).isEqualTo("secretsmanager.GetSecretValue");
			assertThat(request.contentType()).startsWith("application/x-amz-json-1.1");
			assertThat(request.secretId()).isEqualTo(arn);
			assertThat(request.credentialScope()).matches("AKIDTEST/\\d{8}/eu-west-1/secretsmanager/aws4_request");
		});
	}

	@Test
	void readsTheSecretStringByName() {
		this.server.putSecret("skyfold/fcm", "key");

		assertThat(new SecretReader(this.client).secretString("skyfold/fcm")).isEqualTo("key");
	}

	@Test
	void saysWhichSecretIsMissing() {
		this.server.putSecret("skyfold/fcm", "key");

		assertThatIllegalStateException().isThrownBy(() -> new SecretReader(this.client).secretString("skyfold/gone"))
			.withMessage("Could not read secret 'skyfold/gone' from AWS Secrets Manager in eu-west-1: "
					+ "ResourceNotFoundException: Secrets Manager can't find the specified secret.");
		assertThat(this.server.requests()).hasSize(1);
	}

	@Test
	void saysWhenTheSecretMayNotBeRead() {
		String arn = this.server.refuse("skyfold/fcm", "AccessDeniedException",
				"User is not authorized to perform: secretsmanager:GetSecretValue");

		assertThatIllegalStateException().isThrownBy(() -> new SecretReader(this.client).secretString(arn))
			.withMessageContaining("'" + arn + "'")
			.withMessageContaining("AccessDeniedException: User is not authorized");
	}

	@Test
	void refusesABinarySecret() {
		String arn = this.server.putBinarySecret("skyfold/fcm", new byte[] { 1, 2, 3 });

		assertThatIllegalStateException().isThrownBy(() -> new SecretReader(this.client).secretString(arn))
			.withMessageContaining("'" + arn + "'")
			.withMessageContaining("binary");
	}

	@Test
	void refusesABlankSecretAndABlankName() {
		this.server.putSecret("blank", " \n");

		assertThatIllegalStateException().isThrownBy(() -> new SecretReader(this.client).secretString("blank"))
			.withMessage("Secret 'blank' in AWS Secrets Manager is blank");
		assertThatIllegalStateException().isThrownBy(() -> new SecretReader(this.client).secretString(" "))
			.withMessageContaining("blank");
	}

	@Test
	void saysWhenSecretsManagerCannotBeReached() throws IOException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		try (SecretsManagerClient unreachable = client(URI.create("http://127.0.0.1:" + closedPort))) {
			assertThatIllegalStateException()
				.isThrownBy(() -> new SecretReader(unreachable).secretString("skyfold/fcm"))
				.withMessageStartingWith(
						"Could not reach AWS Secrets Manager in eu-west-1 to read secret 'skyfold/fcm': ");
		}
	}

	private static SecretsManagerClient client(URI endpoint) {
		return SecretsManagerClient.builder()
			.region(Region.EU_WEST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDTEST", "secret")))
			.endpointOverride(endpoint)
			.httpClientBuilder(UrlConnectionHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(2))
				.socketTimeout(Duration.ofSeconds(2)))
			.build();
	}

}
