package dev.skyfold.imageresizer.azure.blob;

import java.net.URI;
import java.time.Duration;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import org.jspecify.annotations.Nullable;

/**
 * Creates the Blob service client of the store: from a connection string (an account key
 * or a SAS, Azurite's included), or from the service's endpoint with
 * {@code DefaultAzureCredential} (the Function App's managed identity in Azure), over the
 * JDK's HTTP client.
 */
public final class AzureBlobClients {

	private AzureBlobClients() {
	}

	/**
	 * Creates a client.
	 * @param connectionString a connection string, or {@code null} or blank to use the
	 * endpoint
	 * @param endpoint the Blob service's address, such as
	 * {@code https://<account>.blob.core.windows.net}, used when there is no connection
	 * string
	 * @param timeout the connect, response and read timeout of each request
	 * @return the client
	 * @throws IllegalArgumentException when neither is set
	 */
	public static BlobServiceClient create(@Nullable String connectionString, @Nullable URI endpoint,
			Duration timeout) {
		HttpClient http = new JdkHttpClientBuilder().connectionTimeout(timeout)
			.writeTimeout(timeout)
			.responseTimeout(timeout)
			.readTimeout(timeout)
			.build();
		BlobServiceClientBuilder builder = new BlobServiceClientBuilder().httpClient(http);
		if (connectionString != null && !connectionString.isBlank()) {
			return builder.connectionString(connectionString).buildClient();
		}
		if (endpoint != null) {
			return builder.endpoint(endpoint.toString())
				.credential(new DefaultAzureCredentialBuilder().build())
				.buildClient();
		}
		throw new IllegalArgumentException("Configure the image resizer's Blob storage: set"
				+ " skyfold.image-resizer.azure.blob.connection-string (or the AzureWebJobsStorage app setting),"
				+ " or skyfold.image-resizer.azure.blob.endpoint to use the managed identity");
	}

}
