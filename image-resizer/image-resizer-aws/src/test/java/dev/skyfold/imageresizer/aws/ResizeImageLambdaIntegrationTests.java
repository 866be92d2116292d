package dev.skyfold.imageresizer.aws;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.kernel.FunctionMetrics;
import dev.skyfold.testsupport.loopback.S3MockServer;
import dev.skyfold.testsupport.loopback.lambda.EmbeddedMetrics;
import dev.skyfold.testsupport.loopback.lambda.EmbeddedMetrics.Metric;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

import static dev.skyfold.imageresizer.aws.Samples.corruptJpeg;
import static dev.skyfold.imageresizer.aws.Samples.decode;
import static dev.skyfold.imageresizer.aws.Samples.eventText;
import static dev.skyfold.imageresizer.aws.Samples.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The packaged Lambda jar run as Lambda runs it, by AWS's runtime interface client, with
 * S3Mock for S3: events in, thumbnails in the bucket.
 */
class ResizeImageLambdaIntegrationTests {

	private static final String BUCKET = "skyfold";

	private static final String HANDLER = "dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest";

	/** The JVM options Lambda's Java runtimes start with. */
	private static final List<String> LAMBDA_JVM_OPTIONS = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC", "-Xmx512m");

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	@RegisterExtension
	static final S3MockServer s3mock = new S3MockServer(BUCKET);

	private static S3Client s3;

	private static LambdaFunction function;

	@BeforeAll
	static void startFunction() {
		s3 = S3Client.builder()
			.endpointOverride(s3mock.endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build();
		function = start(s3mock.endpoint().toString());
	}

	@AfterAll
	static void stopFunction() {
		if (function != null) {
			function.close();
		}
		if (s3 != null) {
			s3.close();
		}
	}

	@BeforeEach
	void emptyBucket() {
		for (S3Object object : s3.listObjectsV2Paginator((request) -> request.bucket(BUCKET)).contents()) {
			s3.deleteObject((request) -> request.bucket(BUCKET).key(object.key()));
		}
	}

	static LambdaFunction start(String s3Endpoint) {
		String jar = System.getProperty("skyfold.lambda.jar");
		assertThat(jar).as("system property skyfold.lambda.jar (set by Failsafe)").isNotBlank();
		return LambdaFunction.start(Path.of(jar), HANDLER, environment(s3Endpoint), LAMBDA_JVM_OPTIONS);
	}

	/**
	 * As the SAM template configures it: Spring AOT's build-time bean definitions, S3 at
	 * the given endpoint.
	 */
	private static Map<String, String> environment(String s3Endpoint) {
		return Map.of("AWS_ENDPOINT_URL_S3", s3Endpoint, "AWS_REGION", "us-east-1", "AWS_ACCESS_KEY_ID", "test",
				"AWS_SECRET_ACCESS_KEY", "test", "AWS_MAX_ATTEMPTS", "1", "SPRING_CLOUD_FUNCTION_DEFINITION",
				"resizeImage", "MAIN_CLASS", ImageResizerLambdaApplication.class.getName(), "JAVA_TOOL_OPTIONS",
				"-Dspring.aot.enabled=true");
	}

	@Test
	void resizesThePhotoOfAnS3EventWhoseKeyIsUrlEncoded() {
		put("uploads/my photo+1.jpg", jpeg(1200, 800), "image/jpeg");
		Invocation answer = invoke(eventText("s3-put.json"));
		assertThat(answer.failed()).as("failed: %s", answer.body()).isFalse();
		assertThat(answer.body()).contains("\"resized\":1", "\"failed\":0")
			.contains("\"written\":[\"resized/uploads/my photo+1.jpg\"]");
		HeadObjectResponse head = s3
			.headObject((request) -> request.bucket(BUCKET).key("resized/uploads/my photo+1.jpg"));
		assertThat(head.contentType()).isEqualTo("image/jpeg");
		assertThat(head.metadata()).containsEntry("source-key", "uploads/my photo+1.jpg");
		byte[] thumbnail = get("resized/uploads/my photo+1.jpg");
		BufferedImage image = decode(thumbnail);
		assertThat(image.getWidth()).isEqualTo(200);
		assertThat(image.getHeight()).isBetween(133, 134);
		// Lambda delivers an event at least once: a replay writes the same bytes.
		assertThat(invoke(eventText("s3-put.json")).failed()).isFalse();
		assertThat(get("resized/uploads/my photo+1.jpg")).isEqualTo(thumbnail);
		assertThat(keys()).containsExactlyInAnyOrder("uploads/my photo+1.jpg", "resized/uploads/my photo+1.jpg");
	}

	@Test
	void writesEachInvocationsMetricsAsEmbeddedMetricFormatLines() throws InterruptedException {
		put("uploads/metered.jpg", jpeg(640, 480), "image/jpeg");
		int logged = function.log().length();
		Invocation answer = invoke(eventText("s3-put.json").replace("my+photo%2B1.jpg", "metered.jpg"));
		assertThat(answer.failed()).as("failed: %s", answer.body()).isFalse();

		Map<String, Metric> metrics = EmbeddedMetrics.loggedSince(function, logged);
		assertThat(metrics).containsKeys(FunctionMetrics.INVOCATIONS, FunctionMetrics.ERRORS, FunctionMetrics.DURATION,
				ImageResizer.THUMBNAILS_WRITTEN, ImageResizer.THUMBNAIL_BYTES_WRITTEN);
		assertThat(metrics.values()).allSatisfy((metric) -> {
			assertThat(metric.namespace()).isEqualTo("Skyfold");
			assertThat(metric.dimensions()).containsEntry(FunctionMetrics.FUNCTION_TAG, "resizeImage");
		});
		assertThat(metrics.get(FunctionMetrics.INVOCATIONS).value()).isEqualTo(1);
		assertThat(metrics.get(FunctionMetrics.ERRORS).value()).isZero();
		assertThat(metrics.get(FunctionMetrics.DURATION).unit()).isEqualTo("Milliseconds");
		assertThat(metrics.get(FunctionMetrics.DURATION).value()).isPositive();
		assertThat(metrics.get(ImageResizer.THUMBNAILS_WRITTEN).value()).isEqualTo(1);
		assertThat(metrics.get(ImageResizer.THUMBNAIL_BYTES_WRITTEN).unit()).isEqualTo("Bytes");
		assertThat(metrics.get(ImageResizer.THUMBNAIL_BYTES_WRITTEN).value())
			.isEqualTo((double) s3.headObject((head) -> head.bucket(BUCKET).key("resized/uploads/metered.jpg"))
				.contentLength());
	}

	@Test
	void removesTheThumbnailsOfAnUploadRemovedFromS3() {
		put("uploads/my photo+1.jpg", jpeg(640, 480), "image/jpeg");
		put("uploads/kept.jpg", jpeg(640, 480), "image/jpeg");
		assertThat(invoke(eventText("s3-put.json")).failed()).isFalse();
		assertThat(invoke(eventText("s3-put.json").replace("my+photo%2B1.jpg", "kept.jpg")).failed()).isFalse();
		s3.deleteObject((delete) -> delete.bucket(BUCKET).key("uploads/my photo+1.jpg"));
		String removed = eventText("s3-put.json").replace("ObjectCreated:Put", "ObjectRemoved:Delete");

		Invocation answer = invoke(removed);

		assertThat(answer.failed()).as("failed: %s", answer.body()).isFalse();
		assertThat(answer.body()).contains("\"removed\":1", "\"written\":[\"resized/uploads/my photo+1.jpg\"]");
		assertThat(keys()).containsExactlyInAnyOrder("uploads/kept.jpg", "resized/uploads/kept.jpg");
		// Delivered again: nothing more to remove.
		assertThat(invoke(removed).body()).contains("\"removed\":1", "\"written\":[]");
		assertThat(keys()).hasSize(2);
	}

	@Test
	void reconcilesTheBucketOnItsScheduledEventAndThenHasNothingToDo() {
		put("uploads/never-notified.jpg", jpeg(640, 480), "image/jpeg");
		put("resized/uploads/long-gone.jpg", jpeg(20, 20), "image/jpeg");
		Map<String, String> environment = new HashMap<>(environment(s3mock.endpoint().toString()));
		environment.put("SPRING_CLOUD_FUNCTION_DEFINITION", "reconcileThumbnails");
		environment.put("SKYFOLD_IMAGERESIZER_RECONCILE_BUCKET", BUCKET);
		try (LambdaFunction reconcile = LambdaFunction.start(Path.of(System.getProperty("skyfold.lambda.jar")), HANDLER,
				environment, LAMBDA_JVM_OPTIONS)) {
			// What EventBridge Scheduler sends: the schedule's fixed input.
			Invocation first = reconcile.invoke("{}", TIMEOUT);
			assertThat(first.failed()).as("failed: %s\n%s", first.body(), reconcile.log()).isFalse();
			assertThat(first.body()).contains("\"rendered\":1", "\"removed\":1", "\"failed\":0",
					"\"continuation\":null");
			assertThat(keys()).containsExactlyInAnyOrder("uploads/never-notified.jpg",
					"resized/uploads/never-notified.jpg");

			Invocation second = reconcile.invoke("{}", TIMEOUT);
			assertThat(second.body()).contains("\"checked\":2", "\"rendered\":0", "\"removed\":0");
		}
	}

	@Test
	void resizesThePhotoOfAnEventBridgeObjectCreatedEvent() {
		put("uploads/my photo+1.jpg", jpeg(300, 900), "image/jpeg");
		Invocation answer = invoke(eventText("eventbridge-object-created.json"));
		assertThat(answer.failed()).as("failed: %s", answer.body()).isFalse();
		assertThat(answer.body()).contains("\"resized\":1");
		BufferedImage image = decode(get("resized/uploads/my photo+1.jpg"));
		assertThat(image.getHeight()).isEqualTo(200);
		assertThat(image.getWidth()).isBetween(66, 67);
	}

	@Test
	void resizesTheGoodPhotoAndReportsTheCorruptOneOfAMultiRecordEvent() {
		put("uploads/broken photo.jpg", corruptJpeg(), "image/jpeg");
		put("uploads/été/good+one.jpg", jpeg(400, 400), "image/jpeg");
		String event = """
				{"Records":[%s,%s]}""".formatted(record("uploads/broken+photo.jpg"),
				record("uploads/%C3%A9t%C3%A9/good%2Bone.jpg"));
		Invocation answer = invoke(event);
		assertThat(answer.failed()).as("failed: %s", answer.body()).isFalse();
		assertThat(answer.body()).contains("\"resized\":1", "\"rejected\":1", "\"failed\":0")
			.contains("\"key\":\"uploads/broken photo.jpg\",\"status\":\"REJECTED\"")
			.contains("\"key\":\"uploads/été/good+one.jpg\",\"status\":\"RESIZED\"");
		assertThat(keys()).containsExactlyInAnyOrder("uploads/broken photo.jpg", "uploads/été/good+one.jpg",
				"resized/uploads/été/good+one.jpg");
		assertThat(decode(get("resized/uploads/été/good+one.jpg")).getWidth()).isEqualTo(200);
	}

	@Test
	void skipsMissingObjectsAndRemovesNothingWhereThereIsNoThumbnail() {
		Invocation answer = invoke(eventText("s3-multiple-records.json"));
		assertThat(answer.failed()).as("failed: %s", answer.body()).isFalse();
		assertThat(answer.body()).contains("\"resized\":0", "\"skipped\":2", "\"removed\":1");
		assertThat(keys()).isEmpty();
	}

	@Test
	void failsOnAnEventOfAnotherShapeNamingTheShapesItReads() {
		Invocation answer = invoke(eventText("sqs-message.json").replace("\"Records\"", "\"Messages\""));
		assertThat(answer.failed()).isTrue();
		assertThat(answer.body()).contains("\"errorType\":\"dev.skyfold.kernel.RejectedInputException\"",
				"S3 event notification", "EventBridge event");
	}

	@Test
	void primesAtInitWithoutCallingS3OrCountingAnything() throws IOException, InterruptedException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		Map<String, String> unreachable = new HashMap<>(environment("http://127.0.0.1:" + closedPort));
		unreachable.put("SKYFOLD_LAMBDA_PRIMING_ONINIT", "true");
		try (LambdaFunction primed = LambdaFunction.start(Path.of(System.getProperty("skyfold.lambda.jar")), HANDLER,
				unreachable, LAMBDA_JVM_OPTIONS)) {
			primed.awaitInitialized(TIMEOUT);
			assertThat(primed.log()).contains("Primed [resizeImage] in").doesNotContain("Priming resizeImage failed");
		}
		Map<String, String> reachable = new HashMap<>(environment(s3mock.endpoint().toString()));
		reachable.put("SKYFOLD_LAMBDA_PRIMING_ONINIT", "true");
		try (LambdaFunction primed = LambdaFunction.start(Path.of(System.getProperty("skyfold.lambda.jar")), HANDLER,
				reachable, LAMBDA_JVM_OPTIONS)) {
			primed.awaitInitialized(TIMEOUT);
			assertThat(primed.log()).contains("Primed [resizeImage] in");
			assertThat(keys()).as("objects after priming").isEmpty();
			assertThat(EmbeddedMetrics.loggedSince(primed, 0)).as("metrics after priming").isEmpty();

			put("uploads/my photo+1.jpg", jpeg(640, 480), "image/jpeg");
			Invocation answer = primed.invoke(eventText("s3-put.json"), TIMEOUT);
			assertThat(answer.failed()).as("failed: %s", answer.body()).isFalse();
			Map<String, Metric> metrics = EmbeddedMetrics.loggedSince(primed, 0);
			assertThat(metrics.get(FunctionMetrics.INVOCATIONS).value()).isEqualTo(1);
			assertThat(metrics.get(FunctionMetrics.COLD_STARTS).value()).isEqualTo(1);
			assertThat(metrics.get(ImageResizer.THUMBNAILS_WRITTEN).value()).as("thumbnails counted").isEqualTo(1);
			assertThat(keys()).containsExactlyInAnyOrder("uploads/my photo+1.jpg", "resized/uploads/my photo+1.jpg");
		}
	}

	@Test
	void failsSoThatLambdaRetriesWhenS3CannotBeReached() throws IOException, InterruptedException {
		int closedPort;
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			closedPort = socket.getLocalPort();
		}
		try (LambdaFunction unreachable = start("http://127.0.0.1:" + closedPort)) {
			Invocation answer = unreachable.invoke(eventText("s3-put.json"), TIMEOUT);
			assertThat(answer.failed()).as("failed, log:\n%s", unreachable.log()).isTrue();
			assertThat(answer.body())
				.contains("\"errorType\":\"dev.skyfold.imageresizer.domain.ResizeFailedException\"")
				.contains("Could not resize 1 of 1 objects; failing the event so that it is delivered again: "
						+ "skyfold/uploads/my photo+1.jpg");
			Map<String, Metric> metrics = EmbeddedMetrics.loggedSince(unreachable, 0);
			assertThat(metrics.get(FunctionMetrics.ERRORS).value()).as("errors").isEqualTo(1);
			assertThat(metrics.get(FunctionMetrics.COLD_STARTS).value()).as("the process's first call").isEqualTo(1);
			assertThat(metrics).doesNotContainKey(ImageResizer.THUMBNAILS_WRITTEN);
		}
	}

	private static String record(String encodedKey) {
		return """
				{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1","eventName":"ObjectCreated:Put",\
				"s3":{"s3SchemaVersion":"1.0","bucket":{"name":"skyfold","arn":"arn:aws:s3:::skyfold"},\
				"object":{"key":"%s","size":1}}}""".formatted(encodedKey);
	}

	private static Invocation invoke(String event) {
		return function.invoke(event, TIMEOUT);
	}

	private static void put(String key, byte[] content, String contentType) {
		s3.putObject((request) -> request.bucket(BUCKET).key(key).contentType(contentType),
				RequestBody.fromBytes(content));
	}

	private static byte[] get(String key) {
		try {
			return s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(key)).asByteArray();
		}
		catch (NoSuchKeyException ex) {
			throw new AssertionError(
					"No object " + key + " in S3Mock; bucket holds " + keys() + "\nFunction log:\n" + function.log(),
					ex);
		}
	}

	private static List<String> keys() {
		return s3.listObjectsV2Paginator((request) -> request.bucket(BUCKET))
			.contents()
			.stream()
			.map(S3Object::key)
			.toList();
	}

}
