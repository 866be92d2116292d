package dev.skyfold.imageresizer.aws.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.CRC32;

import dev.skyfold.kernel.FunctionPriming;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerAutoConfiguration;
import dev.skyfold.imageresizer.aws.lambda.ResizeImageEventFunction;
import dev.skyfold.imageresizer.aws.s3.S3BlobStore;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;

/**
 * Primes {@code resizeImage} for Lambda SnapStart: an S3 notification and an EventBridge
 * event, each naming an embedded sample image (a JPEG and a PNG), go through the
 * function's whole path, the event parsers, the host's {@link ThumbnailRenderer} and the
 * S3 store included, against an S3 client whose HTTP client answers in the JVM. Nothing
 * is read from or written to S3, and the thumbnails are not counted.
 */
@AutoConfiguration(after = { ImageResizerAwsAutoConfiguration.class, ImageResizerAutoConfiguration.class })
@ConditionalOnClass(FunctionPriming.class)
@ConditionalOnBean({ ImageResizer.class, ThumbnailRenderer.class })
public final class ImageResizerLambdaPrimingAutoConfiguration {

	@Bean
	FunctionPriming resizeImagePriming(ImageResizer resizer, ThumbnailRenderer renderer,
			ImageResizerAwsProperties properties) {
		return new ResizeImagePriming(renderer, resizer.settings(), properties);
	}

	/**
	 * Runs {@code resizeImage} on its samples through a stand-in of S3.
	 */
	static final class ResizeImagePriming implements FunctionPriming {

		static final String BUCKET = "skyfold-priming";

		private static final String SAMPLES = "/dev/skyfold/imageresizer/aws/priming/";

		/** An upload of the sample JPEG, as S3 notifies it (the key URL-encoded). */
		private static final String S3_EVENT = """
				{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
				"eventTime":"2026-01-01T00:00:00.000Z","eventName":"ObjectCreated:Put",
				"userIdentity":{"principalId":"skyfold-priming"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},
				"responseElements":{"x-amz-request-id":"priming","x-amz-id-2":"priming"},
				"s3":{"s3SchemaVersion":"1.0","configurationId":"priming",
				"bucket":{"name":"%s","ownerIdentity":{"principalId":"skyfold-priming"},"arn":"arn:aws:s3:::%s"},
				"object":{"key":"uploads/priming+sample.jpg","size":%d,"eTag":"0","sequencer":"0"}}}]}
				""";

		/** An upload of the sample PNG, as EventBridge delivers it from S3. */
		private static final String EVENTBRIDGE_EVENT = """
				{"version":"0","id":"skyfold-priming","detail-type":"Object Created","source":"aws.s3",
				"account":"000000000000","time":"2026-01-01T00:00:00Z","region":"us-east-1",
				"resources":["arn:aws:s3:::%s"],"detail":{"version":"0","bucket":{"name":"%s"},
				"object":{"key":"uploads/priming sample.png","size":%d,"etag":"0","sequencer":"0"},
				"request-id":"priming","requester":"000000000000","reason":"PutObject"}}
				""";

		private final ThumbnailRenderer renderer;

		private final ImageResizer.Settings settings;

		private final ImageResizerAwsProperties properties;

		ResizeImagePriming(ThumbnailRenderer renderer, ImageResizer.Settings settings,
				ImageResizerAwsProperties properties) {
			this.renderer = renderer;
			this.settings = settings;
			this.properties = properties;
		}

		@Override
		public String function() {
			return ResizeImageFunction.NAME;
		}

		@Override
		public void prime(Invoker invoker) {
			byte[] jpeg = sample("sample.jpg");
			byte[] png = sample("sample.png");
			StandInS3 s3 = new StandInS3(jpeg, png);
			try (S3Client client = s3.client(this.properties)) {
				ImageResizer resizer = new ImageResizer(new S3BlobStore(client), this.renderer, this.settings,
						new SimpleMeterRegistry());
				ResizeImageEventFunction function = new ResizeImageEventFunction(resizer::resizeEach);
				expectResized(invoker.invoke(function,
						S3_EVENT.formatted(BUCKET, BUCKET, jpeg.length).getBytes(StandardCharsets.UTF_8)));
				expectResized(invoker.invoke(function,
						EVENTBRIDGE_EVENT.formatted(BUCKET, BUCKET, png.length).getBytes(StandardCharsets.UTF_8)));
			}
			int expected = 2 * this.settings.renditions().size();
			if (s3.thumbnails() != expected) {
				throw new IllegalStateException(
						"Priming wrote " + s3.thumbnails() + " thumbnails to the stand-in, not " + expected);
			}
		}

		private static void expectResized(String answer) {
			if (!answer.contains("\"resized\":1")) {
				throw new IllegalStateException("Priming resized no image: " + answer);
			}
		}

		private static byte[] sample(String name) {
			try (InputStream in = ResizeImagePriming.class.getResourceAsStream(SAMPLES + name)) {
				if (in == null) {
					throw new IllegalStateException("The jar lacks the priming sample " + SAMPLES + name);
				}
				return in.readAllBytes();
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}

	}

	/**
	 * S3 as far as {@code resizeImage} uses it, answered in the JVM by an SDK HTTP client
	 * that sends nothing, so the SDK's whole request path (endpoint rules, signing,
	 * checksums, marshalling and unmarshalling) runs: a GET of a key ending in
	 * {@code .png} answers the PNG sample, of any other upload the JPEG; a PUT is taken
	 * and dropped; a DELETE answers 204; anything else 404.
	 */
	static final class StandInS3 implements SdkHttpClient {

		private static final DateTimeFormatter HTTP_DATE = DateTimeFormatter.RFC_1123_DATE_TIME
			.withZone(ZoneOffset.UTC);

		private final byte[] jpeg;

		private final byte[] png;

		private final AtomicInteger thumbnails = new AtomicInteger();

		StandInS3(byte[] jpeg, byte[] png) {
			this.jpeg = jpeg;
			this.png = png;
		}

		int thumbnails() {
			return this.thumbnails.get();
		}

		/** A client configured as the function's, over this stand-in. */
		S3Client client(ImageResizerAwsProperties properties) {
			String region = System.getenv("AWS_REGION");
			return S3Client.builder()
				.httpClient(this)
				.region((region != null && !region.isBlank()) ? Region.of(region) : Region.US_EAST_1)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
				.overrideConfiguration((override) -> override.apiCallTimeout(properties.getS3().getCallTimeout()))
				.build();
		}

		@Override
		public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
			return new StandInCall(() -> {
				if (request.contentStreamProvider().isPresent()) {
					try (InputStream body = request.contentStreamProvider().get().newStream()) {
						body.transferTo(OutputStream.nullOutputStream());
					}
				}
				return answer(request.httpRequest());
			});
		}

		private HttpExecuteResponse answer(SdkHttpRequest request) {
			SdkHttpMethod method = request.method();
			if (method == SdkHttpMethod.GET && request.encodedPath().contains("/uploads/")) {
				boolean isPng = request.encodedPath().endsWith(".png");
				byte[] image = isPng ? this.png : this.jpeg;
				return response(200, image, "Content-Type", isPng ? "image/png" : "image/jpeg", "ETag", "\"priming\"",
						"Last-Modified", HTTP_DATE.format(Instant.now()), "x-amz-checksum-crc32", crc32(image));
			}
			if (method == SdkHttpMethod.PUT) {
				this.thumbnails.incrementAndGet();
				return response(200, new byte[0], "ETag", "\"priming\"");
			}
			if (method == SdkHttpMethod.DELETE) {
				return response(204, new byte[0]);
			}
			return response(404, "<Error><Code>NoSuchKey</Code><Message>Not in the priming stand-in</Message></Error>"
				.getBytes(StandardCharsets.UTF_8), "Content-Type", "application/xml");
		}

		private static HttpExecuteResponse response(int status, byte[] body, String... headers) {
			SdkHttpResponse.Builder response = SdkHttpResponse.builder()
				.statusCode(status)
				.putHeader("Content-Length", Integer.toString(body.length));
			for (int i = 0; i < headers.length; i += 2) {
				response.putHeader(headers[i], headers[i + 1]);
			}
			return HttpExecuteResponse.builder()
				.response(response.build())
				.responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
				.build();
		}

		private static String crc32(byte[] content) {
			CRC32 crc = new CRC32();
			crc.update(content);
			return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
		}

		@Override
		public String clientName() {
			return "SkyfoldPriming";
		}

		@Override
		public void close() {
		}

	}

	/**
	 * A request to the stand-in, answered when called.
	 */
	static final class StandInCall implements ExecutableHttpRequest {

		private final Callable<HttpExecuteResponse> answer;

		StandInCall(Callable<HttpExecuteResponse> answer) {
			this.answer = answer;
		}

		@Override
		public HttpExecuteResponse call() throws IOException {
			try {
				return this.answer.call();
			}
			catch (IOException | RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IOException(ex);
			}
		}

		@Override
		public void abort() {
		}

	}

}
