package dev.skyfold.imageresizer.azure.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the image resizer on Azure, under {@code skyfold.image-resizer.azure}.
 */
@ConfigurationProperties("skyfold.image-resizer.azure")
public class ImageResizerAzureProperties {

	private final Blob blob = new Blob();

	public Blob getBlob() {
		return this.blob;
	}

	/**
	 * The Azure Blob Storage object store; the event's container is the bucket.
	 */
	public static class Blob {

		/**
		 * Whether to keep objects in Azure Blob Storage. When false, the core's local
		 * folder store is used.
		 */
		private boolean enabled = true;

		/**
		 * Connection string of the storage account (account key or SAS). Defaults to the
		 * function app's AzureWebJobsStorage setting; takes precedence over the endpoint.
		 */
		private @Nullable String connectionString;

		/**
		 * Address of the Blob service, such as https://ACCOUNT.blob.core.windows.net,
		 * reached with DefaultAzureCredential (the app's managed identity) when there is
		 * no connection string. Defaults to the AzureWebJobsStorage__blobServiceUri
		 * setting.
		 */
		private @Nullable URI endpoint;

		/**
		 * Connect, response and read timeout of each request to the Blob service.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getConnectionString() {
			return this.connectionString;
		}

		public void setConnectionString(@Nullable String connectionString) {
			this.connectionString = connectionString;
		}

		public @Nullable URI getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(@Nullable URI endpoint) {
			this.endpoint = endpoint;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

}
