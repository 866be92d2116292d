package dev.skyfold.chat.aws.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the chat on AWS, under {@code skyfold.chat.aws}.
 */
@ConfigurationProperties("skyfold.chat.aws")
public class ChatAwsProperties {

	/**
	 * DynamoDB table that stores the messages (SKYFOLD_CHAT_AWS_TABLE on Lambda). Needed
	 * by postMessage and messageHistory; without it messages are kept in memory only.
	 */
	private @Nullable String table;

	/**
	 * Secrets Manager secret (ARN or name) whose SecretString is the Firebase
	 * service-account key (JSON) that broadcastMessage pushes to FCM with
	 * (SKYFOLD_CHAT_AWS_FCM_CREDENTIALS_SECRET on Lambda). Read once, at startup, when
	 * skyfold.chat.fcm.enabled is true; startup fails when it cannot be read. Replaces
	 * skyfold.chat.fcm.credentials, which must then be unset.
	 */
	private @Nullable String fcmCredentialsSecret;

	/**
	 * Connect and read timeout of each request to DynamoDB and Secrets Manager.
	 */
	private Duration timeout = Duration.ofSeconds(5);

	public @Nullable String getTable() {
		return this.table;
	}

	public void setTable(@Nullable String table) {
		this.table = table;
	}

	public @Nullable String getFcmCredentialsSecret() {
		return this.fcmCredentialsSecret;
	}

	public void setFcmCredentialsSecret(@Nullable String fcmCredentialsSecret) {
		this.fcmCredentialsSecret = fcmCredentialsSecret;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
