package dev.skyfold.chat.fcm;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the FCM broadcaster, under {@code skyfold.chat.fcm}.
 */
@ConfigurationProperties("skyfold.chat.fcm")
public class FcmProperties {

	/**
	 * How many timeouts one send may wait out: the connect and the read of an access
	 * token's request, then of the send's.
	 */
	public static final int WAITS_PER_SEND = 4;

	/**
	 * Whether to push every message to its room's FCM topic.
	 */
	private boolean enabled;

	/**
	 * Firebase project to send through. Defaults to the project of the service account,
	 * or to the one Application Default Credentials name.
	 */
	private @Nullable String projectId;

	/**
	 * Service-account key file (JSON). When absent, Application Default Credentials are
	 * used. Neither is read when the host supplies the credentials itself (an
	 * FcmCredentials bean), as the AWS Lambda jar does from the Secrets Manager secret
	 * that skyfold.chat.aws.fcm-credentials-secret names.
	 */
	private @Nullable Path credentials;

	/**
	 * Base URL that FCM requests go to instead of https://fcm.googleapis.com (sends) and
	 * https://iid.googleapis.com (topic subscriptions), such as a local FCM emulator for
	 * tests.
	 */
	private @Nullable URI baseUrl;

	/**
	 * Title of the notification shown for each message.
	 */
	private String title = "New Message";

	/**
	 * Longest notification body, in characters; longer texts are cut and end with an
	 * ellipsis. The message's data carries the text as well.
	 */
	private int bodyLength = 200;

	/**
	 * Connect and read timeout of each request to FCM; 0 waits for ever.
	 */
	private Duration timeout = Duration.ofSeconds(10);

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getProjectId() {
		return this.projectId;
	}

	public void setProjectId(@Nullable String projectId) {
		this.projectId = projectId;
	}

	public @Nullable Path getCredentials() {
		return this.credentials;
	}

	public void setCredentials(@Nullable Path credentials) {
		this.credentials = credentials;
	}

	public @Nullable URI getBaseUrl() {
		return this.baseUrl;
	}

	public void setBaseUrl(@Nullable URI baseUrl) {
		this.baseUrl = baseUrl;
	}

	public String getTitle() {
		return this.title;
	}

	public void setTitle(String title) {
		this.title = title;
	}

	public int getBodyLength() {
		return this.bodyLength;
	}

	public void setBodyLength(int bodyLength) {
		this.bodyLength = bodyLength;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
