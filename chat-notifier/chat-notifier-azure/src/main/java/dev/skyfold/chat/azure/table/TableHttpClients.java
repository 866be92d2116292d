package dev.skyfold.chat.azure.table;

import java.time.Duration;

import com.azure.core.http.HttpClient;
import com.azure.core.http.jdk.httpclient.JdkHttpClientBuilder;

/**
 * The HTTP client the Tables SDK calls Table storage with: the JDK's, on HTTP/1.1. The
 * JDK client's default, HTTP/2, tries an {@code h2c} upgrade on plain-HTTP connections
 * (Azurite's), and concurrent requests waiting on that upgrade hang.
 */
public final class TableHttpClients {

	private TableHttpClients() {
	}

	/**
	 * Creates a client.
	 * @param timeout connect, read and response timeout
	 * @return the client
	 */
	public static HttpClient create(Duration timeout) {
		return new JdkHttpClientBuilder(
				java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1))
			.connectionTimeout(timeout)
			.readTimeout(timeout)
			.responseTimeout(timeout)
			.build();
	}

}
