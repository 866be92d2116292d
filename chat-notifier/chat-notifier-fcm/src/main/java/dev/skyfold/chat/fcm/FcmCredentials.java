package dev.skyfold.chat.fcm;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Objects;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import org.jspecify.annotations.Nullable;

/**
 * The Google credentials the FCM broadcaster authenticates with. Without a bean of this
 * type, {@link FcmAutoConfiguration} reads the service-account key file that
 * {@code skyfold.chat.fcm.credentials} names, else uses Application Default Credentials;
 * a host that keeps the key elsewhere, such as in a secret store, supplies its own bean,
 * typically {@link #serviceAccountKey(String, String)}.
 */
@FunctionalInterface
public interface FcmCredentials {

	/**
	 * The credentials.
	 * @return the credentials, unscoped: the Firebase SDK scopes them
	 */
	GoogleCredentials googleCredentials();

	/**
	 * Credentials a host already has.
	 * @param credentials the credentials
	 * @return the credentials, as a bean for the FCM broadcaster
	 */
	static FcmCredentials of(GoogleCredentials credentials) {
		Objects.requireNonNull(credentials, "credentials");
		return () -> credentials;
	}

	/**
	 * Checks the setting through which a platform hands over the key (the name of a
	 * secret, the key itself), for the host that reads it: it must be set, and
	 * {@code skyfold.chat.fcm.credentials} must not name a key file beside it, since then
	 * nobody could tell which key is used.
	 * @param value the setting's value
	 * @param setting the setting, such as {@code skyfold.chat.aws.fcm-credentials-secret}
	 * @param requirement what the value must be, such as {@code "must name a Secrets
	 * Manager secret"}
	 * @param keyFile the key file {@code skyfold.chat.fcm.credentials} names, if any
	 * @param instead which of the two to keep on this platform, such as {@code "the
	 * secret on AWS Lambda"}
	 * @return the value
	 * @throws IllegalStateException when the value is blank or a key file is named too
	 */
	static String platformSetting(@Nullable String value, String setting, String requirement, @Nullable Path keyFile,
			String instead) {
		if (value == null || value.isBlank()) {
			throw new IllegalStateException(setting + " " + requirement);
		}
		if (keyFile != null) {
			throw new IllegalStateException(
					"Both skyfold.chat.fcm.credentials and " + setting + " name FCM credentials: set one, " + instead);
		}
		return value;
	}

	/**
	 * The credentials of a service account, from its key: the JSON document Google issues
	 * for it, holding its private key, its email and its project, which then is the
	 * project messages are sent through unless {@code skyfold.chat.fcm.project-id} says
	 * otherwise.
	 * @param json the key
	 * @param source where the key came from, for error messages, such as
	 * {@code "secret arn:aws:secretsmanager:..."}
	 * @return the credentials
	 * @throws IllegalArgumentException when the text is not a service-account key; the
	 * message names the source, not the text
	 */
	static FcmCredentials serviceAccountKey(String json, String source) {
		ServiceAccountCredentials credentials;
		try {
			credentials = ServiceAccountCredentials
				.fromStream(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)));
		}
		catch (IOException | RuntimeException ex) {
			throw new IllegalArgumentException("The " + source + " is not a Google service-account key (the JSON "
					+ "key file of a service account: \"type\": \"service_account\", client_email, private_key, "
					+ "private_key_id, project_id): " + ex.getMessage(), ex);
		}
		return of(credentials);
	}

}
