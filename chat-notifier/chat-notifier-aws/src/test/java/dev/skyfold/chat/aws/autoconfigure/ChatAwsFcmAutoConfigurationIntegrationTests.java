package dev.skyfold.chat.aws.autoconfigure;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;

import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.aws.lambda.Events;
import dev.skyfold.chat.fcm.FcmAutoConfiguration;
import dev.skyfold.chat.fcm.FcmCredentials;
import dev.skyfold.testsupport.loopback.aws.SecretsManagerServer;
import dev.skyfold.testsupport.loopback.fcm.FcmProtocolServer;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * On AWS the FCM broadcaster's service-account key comes from Secrets Manager: the real
 * auto-configurations read it through the real AWS SDK from a local server speaking
 * Secrets Manager's protocol (its endpoint set as
 * {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} would set it), and the real Firebase SDK then
 * authenticates with that key at a local token endpoint and sends to a local FCM.
 */
class ChatAwsFcmAutoConfigurationIntegrationTests {

	private static final String PROJECT = "skyfold-test";

	private static final String PROPERTY = "skyfold.chat.aws.fcm-credentials-secret";

	private static TestServiceAccount account;

	@TempDir
	static Path directory;

	private FcmProtocolServer fcm;

	private SecretsManagerServer secrets;

	private Path keyFile;

	private String key;

	@BeforeAll
	static void createAccount() {
		account = TestServiceAccount.create(PROJECT);
	}

	@BeforeEach
	void startServers() throws IOException {
		this.fcm = FcmProtocolServer.start(account);
		this.secrets = SecretsManagerServer.start();
		this.keyFile = account.writeKeyFile(Files.createTempDirectory(directory, "key"), this.fcm.tokenUri());
		this.key = Files.readString(this.keyFile);
	}

	@AfterEach
	void stopServers() {
		this.secrets.close();
		this.fcm.close();
	}

	@Test
	void readsTheKeyFromTheSecretOnceAndBroadcastsWithIt() {
		String arn = this.secrets.putSecret("skyfold/fcm", this.key);
		runner().withPropertyValues(PROPERTY + "=" + arn).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(this.secrets.requests()).singleElement().satisfies((request) -> {
				assertThat(request.target()).isEqualTo("secretsmanager.GetSecretValue");
				assertThat(request.secretId()).isEqualTo(arn);
				assertThat(request.credentialScope()).matches("AKIDTEST/\\d{8}/us-east-1/secretsmanager/aws4_request");
			});

			assertThat(broadcast(context).getBatchItemFailures()).isEmpty();
			assertThat(broadcast(context).getBatchItemFailures()).isEmpty();

			assertThat(this.fcm.tokenRequests()).isOne();
			assertThat(this.fcm.rejectedTokenRequests()).isZero();
			// The project is the key's: no skyfold.chat.fcm.project-id is set.
			assertThat(this.fcm.sends()).hasSize(2).allSatisfy((send) -> {
				assertThat(send.path()).isEqualTo("/v1/projects/" + PROJECT + "/messages:send");
				assertThat(send.authorization()).isEqualTo("Bearer " + FcmProtocolServer.TOKEN);
			});
			assertThat(this.secrets.requests()).hasSize(1);
		});
	}

	@Test
	void findsTheSecretByItsName() {
		this.secrets.putSecret("skyfold/fcm", this.key);
		runner().withPropertyValues(PROPERTY + "=skyfold/fcm").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(broadcast(context).getBatchItemFailures()).isEmpty();
			assertThat(this.fcm.sends()).hasSize(1);
		});
	}

	@Test
	void failsToStartWhenTheSecretDoesNotExist() {
		this.secrets.putSecret("skyfold/fcm", this.key);
		String missing = "arn:aws:secretsmanager:us-east-1:123456789012:secret:skyfold/missing-AbCdEf";
		runner().withPropertyValues(PROPERTY + "=" + missing)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Could not load the FCM credentials from the secret that " + PROPERTY
						+ " names: Could not read secret '" + missing + "' from AWS Secrets Manager in us-east-1: "
						+ "ResourceNotFoundException: Secrets Manager can't find the specified secret."));
		assertThat(this.fcm.tokenRequests()).isZero();
	}

	@Test
	void failsToStartWhenTheFunctionMayNotReadTheSecret() {
		String arn = this.secrets.refuse("skyfold/fcm", "AccessDeniedException",
				"User is not authorized to perform: secretsmanager:GetSecretValue on resource: skyfold/fcm");
		runner().withPropertyValues(PROPERTY + "=" + arn)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("Could not read secret '" + arn + "'")
				.hasStackTraceContaining("AccessDeniedException: User is not authorized"));
	}

	@Test
	void failsToStartWhenTheSecretIsNotAServiceAccountKeyWithoutQuotingIt() {
		String notAKey = this.key.replaceAll("\"client_email\":\"[^\"]*\",", "");
		String arn = this.secrets.putSecret("skyfold/fcm", notAKey);
		String pem = account.privateKeyPem();
		String keyPart = pem.substring(pem.indexOf('\n') + 1, pem.indexOf('\n') + 41);
		runner().withPropertyValues(PROPERTY + "=" + arn)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(
						"The secret '" + arn + "' (" + PROPERTY + ") is not a Google service-account key")
				.satisfies((failure) -> assertThat(stackTrace(failure)).doesNotContain(keyPart)));
	}

	@Test
	void failsToStartWhenTheSecretIsBlankOrBinary() {
		runner().withPropertyValues(PROPERTY + "= ")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(PROPERTY + " must name a Secrets Manager secret"));
		String arn = this.secrets.putBinarySecret("skyfold/fcm", this.key.getBytes());
		runner().withPropertyValues(PROPERTY + "=" + arn)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("holds binary data (SecretBinary), not text"));
	}

	@Test
	void refusesAKeyFileAndASecretTogether() {
		String arn = this.secrets.putSecret("skyfold/fcm", this.key);
		runner().withPropertyValues(PROPERTY + "=" + arn, "skyfold.chat.fcm.credentials=" + this.keyFile)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining(
						"Both skyfold.chat.fcm.credentials and " + PROPERTY + " name FCM credentials"));
		assertThat(this.secrets.requests()).isEmpty();
	}

	@Test
	void authenticatesWithTheKeyFileWhenNoSecretIsNamed() {
		runner().withPropertyValues("skyfold.chat.fcm.credentials=" + this.keyFile).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(broadcast(context).getBatchItemFailures()).isEmpty();
			assertThat(this.fcm.sends()).singleElement()
				.satisfies((send) -> assertThat(send.authorization()).isEqualTo("Bearer " + FcmProtocolServer.TOKEN));
			assertThat(this.secrets.requests()).isEmpty();
		});
	}

	@Test
	void leavesTheSecretUnreadWhenFcmIsDisabled() {
		String arn = this.secrets.putSecret("skyfold/fcm", this.key);
		runner().withPropertyValues(PROPERTY + "=" + arn, "skyfold.chat.fcm.enabled=false").run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(FcmCredentials.class);
			assertThat(this.secrets.requests()).isEmpty();
		});
	}

	@Test
	void leavesTheSecretUnreadWhenTheHostBringsItsOwnCredentials() {
		String arn = this.secrets.putSecret("skyfold/fcm", this.key);
		FcmCredentials own = FcmCredentials.serviceAccountKey(this.key, "host key");
		runner().withPropertyValues(PROPERTY + "=" + arn).withBean(FcmCredentials.class, () -> own).run((context) -> {
			assertThat(context).hasNotFailed().getBean(FcmCredentials.class).isSameAs(own);
			assertThat(this.secrets.requests()).isEmpty();
		});
	}

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ChatAwsAutoConfiguration.class, ChatAwsFcmAutoConfiguration.class,
					FcmAutoConfiguration.class, ChatNotifierAutoConfiguration.class))
			.withSystemProperties("aws.region=us-east-1", "aws.accessKeyId=AKIDTEST", "aws.secretAccessKey=test",
					"aws.endpointUrlSecretsManager=" + this.secrets.endpoint())
			.withPropertyValues("skyfold.chat.fcm.enabled=true", "skyfold.chat.fcm.base-url=" + this.fcm.baseUrl(),
					"skyfold.chat.fcm.timeout=5s", "skyfold.chat.aws.timeout=5s",
					"skyfold.chat.broadcast.max-retries=0");
	}

	@SuppressWarnings("unchecked")
	private static StreamsEventResponse broadcast(AssertableApplicationContext context) {
		ChatAwsAutoConfiguration.WithLambdaContext<DynamodbEvent, StreamsEventResponse> function = context
			.getBean("broadcastMessage", ChatAwsAutoConfiguration.WithLambdaContext.class);
		return function
			.apply(MessageBuilder.withPayload(Events.load("dynamodb-stream-insert.json", DynamodbEvent.class)).build());
	}

	private static String stackTrace(Throwable failure) {
		StringWriter trace = new StringWriter();
		failure.printStackTrace(new PrintWriter(trace));
		return trace.toString();
	}

}
