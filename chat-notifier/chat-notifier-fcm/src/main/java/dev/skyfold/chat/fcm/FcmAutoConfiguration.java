package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.UUID;

import com.google.auth.oauth2.GoogleCredentials;
import com.google.auth.oauth2.ServiceAccountCredentials;
import com.google.firebase.FirebaseApp;
import com.google.firebase.FirebaseOptions;
import com.google.firebase.messaging.FirebaseMessaging;
import dev.skyfold.chat.port.RoomSubscriptions;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Pushes every chat message to its room's FCM topic when
 * {@code skyfold.chat.fcm.enabled=true}: a Firebase app of its own (deleted with the
 * context), its messaging client, the {@link FcmBroadcaster}, which the chat's broadcast
 * service picks up with every other broadcaster, and the {@link FcmRoomSubscriptions},
 * which bring the chat's {@code subscribeToRoom} and {@code unsubscribeFromRoom}
 * functions (so this runs before the chat's auto-configuration). The Firebase beans are
 * not candidates for injection by type, so a host's own Firebase app is left alone. The
 * app authenticates with the host's {@link FcmCredentials} bean when there is one, else
 * with the key file {@code skyfold.chat.fcm.credentials} names, else with Application
 * Default Credentials.
 */
@AutoConfiguration(beforeName = "dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration")
@ConditionalOnBooleanProperty("skyfold.chat.fcm.enabled")
@EnableConfigurationProperties(FcmProperties.class)
public final class FcmAutoConfiguration {

	static final String APP = "skyfoldChatFcmApp";

	static final String MESSAGING = "skyfoldChatFcmMessaging";

	@Bean
	@ConditionalOnMissingBean
	FcmCredentials fcmCredentials(FcmProperties properties) {
		return FcmCredentials.of(credentials(properties.getCredentials()));
	}

	@Bean(name = APP, destroyMethod = "delete", defaultCandidate = false)
	FirebaseApp skyfoldChatFcmApp(FcmProperties properties, FcmCredentials credentials) {
		int timeout = millis(properties.getTimeout());
		// No write timeout: the SDK's transport waits that long for a connection that was
		// refused, then reports "Write Timeout". Connect and read timeouts bound a
		// request.
		FirebaseOptions.Builder options = FirebaseOptions.builder()
			.setCredentials(credentials.googleCredentials())
			.setConnectTimeout(timeout)
			.setReadTimeout(timeout);
		if (properties.getProjectId() != null) {
			options.setProjectId(properties.getProjectId());
		}
		// The SDK's default transport, wrapped.
		options.setHttpTransport(new FcmHttpTransport(options.build().getHttpTransport(), properties.getBaseUrl()));
		// A name of its own, so that several contexts in one JVM do not share an app.
		return FirebaseApp.initializeApp(options.build(), "skyfold-chat-fcm-" + UUID.randomUUID());
	}

	@Bean(name = MESSAGING, defaultCandidate = false)
	FirebaseMessaging skyfoldChatFcmMessaging(@Qualifier(APP) FirebaseApp app) {
		return FirebaseMessaging.getInstance(app);
	}

	@Bean
	@ConditionalOnMissingBean
	FcmBroadcaster fcmBroadcaster(@Qualifier(MESSAGING) FirebaseMessaging messaging, FcmProperties properties) {
		// A send may first fetch an access token: two requests, each of which may wait
		// its
		// connect and its read timeout.
		return new FcmBroadcaster(messaging, properties.getTitle(), properties.getBodyLength(),
				properties.getTimeout().multipliedBy(FcmProperties.WAITS_PER_SEND));
	}

	@Bean
	@ConditionalOnMissingBean(RoomSubscriptions.class)
	FcmRoomSubscriptions fcmRoomSubscriptions(@Qualifier(MESSAGING) FirebaseMessaging messaging) {
		return new FcmRoomSubscriptions(messaging);
	}

	private static GoogleCredentials credentials(@Nullable Path file) {
		try {
			if (file == null) {
				return GoogleCredentials.getApplicationDefault();
			}
			try (InputStream in = Files.newInputStream(file)) {
				return ServiceAccountCredentials.fromStream(in);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not load the FCM credentials from "
					+ ((file != null) ? file : "Application Default Credentials")
					+ "; set skyfold.chat.fcm.credentials to a service-account key file", ex);
		}
	}

	private static int millis(Duration timeout) {
		if (timeout.isNegative() || timeout.toMillis() > Integer.MAX_VALUE) {
			throw new IllegalArgumentException("skyfold.chat.fcm.timeout must be 0 to " + Integer.MAX_VALUE + " ms");
		}
		return (int) timeout.toMillis();
	}

}
