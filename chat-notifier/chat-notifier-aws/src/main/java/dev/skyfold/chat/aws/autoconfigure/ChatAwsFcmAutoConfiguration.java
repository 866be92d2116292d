package dev.skyfold.chat.aws.autoconfigure;

import dev.skyfold.chat.aws.secretsmanager.SecretReader;
import dev.skyfold.chat.fcm.FcmAutoConfiguration;
import dev.skyfold.chat.fcm.FcmCredentials;
import dev.skyfold.chat.fcm.FcmProperties;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Gives the FCM broadcaster its service-account key from the AWS Secrets Manager secret
 * that {@code skyfold.chat.aws.fcm-credentials-secret} names, since a Lambda function has
 * no key file: when FCM is enabled, the secret is read once, at startup, and startup
 * fails when it cannot be read. Runs before the FCM auto-configuration, whose key file
 * and Application Default Credentials then stand back.
 */
@AutoConfiguration(before = FcmAutoConfiguration.class)
@ConditionalOnClass(FcmCredentials.class)
@ConditionalOnBooleanProperty("skyfold.chat.fcm.enabled")
@ConditionalOnProperty("skyfold.chat.aws.fcm-credentials-secret")
@EnableConfigurationProperties({ ChatAwsProperties.class, FcmProperties.class })
public final class ChatAwsFcmAutoConfiguration {

	private static final String PROPERTY = "skyfold.chat.aws.fcm-credentials-secret";

	/**
	 * The key, read with a Secrets Manager client that lives only as long as the read:
	 * region, credentials and endpoint from the SDK's default chains ({@code AWS_REGION},
	 * the function role's credentials, {@code AWS_ENDPOINT_URL_SECRETS_MANAGER} or
	 * {@code AWS_ENDPOINT_URL}). Reading at startup puts the key into a SnapStart
	 * snapshot, so a rotated key reaches the function with its next published version
	 * (or, without SnapStart, its next cold start), not before.
	 */
	@Bean
	@ConditionalOnMissingBean
	FcmCredentials fcmCredentials(ChatAwsProperties properties, FcmProperties fcm) {
		String secret = FcmCredentials.platformSetting(properties.getFcmCredentialsSecret(), PROPERTY,
				"must name a Secrets Manager secret (ARN or name)", fcm.getCredentials(), "the secret on AWS Lambda");
		String key;
		try (SecretsManagerClient client = SecretsManagerClient.builder()
			.httpClientBuilder(UrlConnectionHttpClient.builder()
				.connectionTimeout(properties.getTimeout())
				.socketTimeout(properties.getTimeout()))
			.build()) {
			key = new SecretReader(client).secretString(secret);
		}
		catch (IllegalStateException ex) {
			throw new IllegalStateException("Could not load the FCM credentials from the secret that " + PROPERTY
					+ " names: " + ex.getMessage(), ex);
		}
		return FcmCredentials.serviceAccountKey(key, "secret '" + secret + "' (" + PROPERTY + ")");
	}

}
