package dev.skyfold.imageresizer.aws.autoconfigure;

import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the image resizer on AWS, under {@code skyfold.image-resizer.aws}.
 * Region, credentials and endpoint come from the AWS SDK's own settings, such as
 * {@code AWS_REGION} and {@code AWS_ENDPOINT_URL_S3}.
 */
@ConfigurationProperties("skyfold.image-resizer.aws")
public class ImageResizerAwsProperties {

	private final S3 s3 = new S3();

	public S3 getS3() {
		return this.s3;
	}

	/**
	 * The S3 object store.
	 */
	public static class S3 {

		/**
		 * Whether to keep objects in S3. When false, the core's local folder store is
		 * used.
		 */
		private boolean enabled = true;

		/**
		 * Whether to put the bucket in the URL path rather than in the host name.
		 * Defaults to true when an endpoint is configured (AWS_ENDPOINT_URL_S3 or
		 * AWS_ENDPOINT_URL, as for an S3-compatible server), false otherwise.
		 */
		private @Nullable Boolean pathStyle;

		/**
		 * Connect and read timeout of each request to S3.
		 */
		private Duration timeout = Duration.ofSeconds(10);

		/**
		 * The longest one call to S3 may take, its retries included, so that a record's
		 * read and writes fit the function's timeout.
		 */
		private Duration callTimeout = Duration.ofSeconds(15);

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable Boolean getPathStyle() {
			return this.pathStyle;
		}

		public void setPathStyle(@Nullable Boolean pathStyle) {
			this.pathStyle = pathStyle;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

		public Duration getCallTimeout() {
			return this.callTimeout;
		}

		public void setCallTimeout(Duration callTimeout) {
			this.callTimeout = callTimeout;
		}

	}

}
