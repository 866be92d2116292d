package dev.skyfold.imageresizer.aws.s3;

import java.time.Duration;

import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Builds the S3 client of {@link S3BlobStore} the way the SDK's standard settings
 * describe it: region, credentials and endpoint from the default chains (so
 * {@code AWS_REGION}, {@code AWS_ENDPOINT_URL_S3} and {@code AWS_ENDPOINT_URL}, or the
 * {@code aws.*} system properties, apply), over the JDK's {@code HttpURLConnection},
 * which starts faster and weighs less than the SDK's other HTTP clients.
 */
public final class S3Clients {

	private S3Clients() {
	}

	/**
	 * Builds a client.
	 * @param pathStyle whether to put the bucket in the URL path rather than the host
	 * name; {@code null} for path-style exactly when an endpoint is configured, since
	 * S3-compatible servers seldom serve bucket host names
	 * @param timeout the connect and read timeout of each request
	 * @param callTimeout the longest one call may take, its retries included
	 * @return the client, to be closed by the caller
	 */
	public static S3Client create(@Nullable Boolean pathStyle, Duration timeout, Duration callTimeout) {
		S3Client client = build(Boolean.TRUE.equals(pathStyle), timeout, callTimeout);
		if (pathStyle == null && client.serviceClientConfiguration().endpointOverride().isPresent()) {
			// Only the built client tells whether the SDK found an endpoint setting.
			client.close();
			client = build(true, timeout, callTimeout);
		}
		return client;
	}

	private static S3Client build(boolean pathStyle, Duration timeout, Duration callTimeout) {
		return S3Client.builder()
			.httpClientBuilder(UrlConnectionHttpClient.builder().connectionTimeout(timeout).socketTimeout(timeout))
			.overrideConfiguration((override) -> override.apiCallTimeout(callTimeout))
			.forcePathStyle(pathStyle)
			.build();
	}

}
