package dev.skyfold.chat.gcp.autoconfigure;

import java.time.Duration;

import dev.skyfold.chat.gcp.firestore.MessageDocuments;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the chat on Google Cloud, under {@code skyfold.chat.gcp}.
 */
@ConfigurationProperties("skyfold.chat.gcp")
public class ChatGcpProperties {

	private final Firestore firestore = new Firestore();

	public Firestore getFirestore() {
		return this.firestore;
	}

	/**
	 * The Firestore message store.
	 */
	public static class Firestore {

		/**
		 * Whether to keep messages in Firestore. When false, the core's store is used.
		 */
		private boolean enabled = true;

		/**
		 * The project whose Firestore database holds the messages; defaults to the one
		 * the credentials or the environment name.
		 */
		private @Nullable String projectId;

		/**
		 * The {@code host:port} of a Firestore emulator to use instead of Firestore,
		 * without credentials.
		 */
		private @Nullable String emulatorHost;

		/**
		 * The root collection of the rooms, each holding its messages.
		 */
		private String rooms = MessageDocuments.DEFAULT_ROOMS;

		/**
		 * How long one call to Firestore may take.
		 */
		private Duration timeout = Duration.ofSeconds(5);

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

		public @Nullable String getEmulatorHost() {
			return this.emulatorHost;
		}

		public void setEmulatorHost(@Nullable String emulatorHost) {
			this.emulatorHost = emulatorHost;
		}

		public String getRooms() {
			return this.rooms;
		}

		public void setRooms(String rooms) {
			this.rooms = rooms;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
