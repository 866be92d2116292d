package dev.skyfold.imageresizer.gcp.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the image resizer on Google Cloud, under
 * {@code skyfold.image-resizer.gcp}.
 */
@ConfigurationProperties("skyfold.image-resizer.gcp")
public class ImageResizerGcpProperties {

	private final Storage storage = new Storage();

	public Storage getStorage() {
		return this.storage;
	}

	/**
	 * The Cloud Storage object store; the event's bucket is the bucket.
	 */
	public static class Storage {

		/**
		 * Whether to keep objects in Cloud Storage. When false, the core's local folder
		 * store is used.
		 */
		private boolean enabled = true;

		/**
		 * Address of a server speaking the Cloud Storage JSON API in place of Google's
		 * (an emulator), reached without credentials; empty for Cloud Storage itself,
		 * reached with the function's service account.
		 */
		private @Nullable String host;

		/**
		 * The Google Cloud project; defaults to the one the credentials or the
		 * environment name.
		 */
		private @Nullable String projectId;

		/**
		 * Connect and read timeout of each request to Cloud Storage.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getHost() {
			return this.host;
		}

		public void setHost(@Nullable String host) {
			this.host = host;
		}

		public @Nullable String getProjectId() {
			return this.projectId;
		}

		public void setProjectId(@Nullable String projectId) {
			this.projectId = projectId;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
