package dev.skyfold.imageresizer.aws.benchmark;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.skyfold.testsupport.loopback.S3MockServer;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * How much memory {@code resizeImage} needs on Lambda: the packaged aws jar under AWS's
 * runtime interface client, with the JVM limits Lambda derives from the function's memory
 * setting (85 % heap, 10 % metaspace, 5 % code cache, serial GC, C1 only), resizes each
 * photo from S3Mock in one fresh process, and the process's peak resident memory is read
 * from {@code /proc} afterwards: what Lambda reports as Max Memory Used, seen from the
 * JVM's side. The function starts as the SAM template starts it (Spring AOT). Never fails
 * on a figure.
 * <p>
 * Usage: {@code LambdaMemoryBenchmark AWS_JAR MEMORY_MB PHOTO...}
 */
public final class LambdaMemoryBenchmark {

	private static final String BUCKET = "bench";

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private LambdaMemoryBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path jar = Path.of(args[0]);
		int memory = Integer.parseInt(args[1]);
		List<String> jvm = List.of("-XX:MaxHeapSize=" + memory * 85 / 100 + "m",
				"-XX:MaxMetaspaceSize=" + memory * 10 / 100 + "m",
				"-XX:ReservedCodeCacheSize=" + memory * 5 / 100 + "m", "-XX:+UseSerialGC", "-XX:+TieredCompilation",
				"-XX:TieredStopAtLevel=1");
		try (S3MockServer s3 = new S3MockServer(BUCKET).start(); S3Client client = client(s3.endpoint())) {
			Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", s3.endpoint().toString(), "AWS_ACCESS_KEY_ID",
					"bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_REGION", "us-east-1",
					"AWS_LAMBDA_FUNCTION_MEMORY_SIZE", String.valueOf(memory), "SPRING_CLOUD_FUNCTION_DEFINITION",
					"resizeImage", "MAIN_CLASS", "dev.skyfold.imageresizer.aws.ImageResizerLambdaApplication",
					"JAVA_TOOL_OPTIONS", "-Dspring.aot.enabled=true");
			System.out.printf("memory setting %d MB; JVM %s%n", memory, String.join(" ", jvm));
			for (int i = 2; i < args.length; i++) {
				Path photo = Path.of(args[i]);
				String key = "uploads/" + photo.getFileName();
				client.putObject((put) -> put.bucket(BUCKET).key(key), RequestBody.fromFile(photo));
				try (LambdaFunction function = LambdaFunction.start(new LambdaFunction.Launch(List.of(jar),
						"dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest", env, jvm, List.of()))) {
					Invocation answer = function.invoke(event(key), TIMEOUT);
					if (answer.failed()) {
						throw new IllegalStateException(
								"The function failed: " + answer.body() + "\n" + function.log());
					}
					client.headObject((head) -> head.bucket(BUCKET).key("resized/" + key));
					long peak = peakResidentMegabytes(function.pid());
					System.out.printf(Locale.ROOT, "MAX_MEMORY_USED %d MB of %d MB (%.0f %%)  %s (%d bytes)%n", peak,
							memory, 100.0 * peak / memory, photo.getFileName(), Files.size(photo));
				}
			}
		}
	}

	private static long peakResidentMegabytes(long pid) throws Exception {
		for (String line : Files.readAllLines(Path.of("/proc/" + pid + "/status"))) {
			if (line.startsWith("VmHWM:")) {
				return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
			}
		}
		throw new IllegalStateException("No VmHWM for process " + pid);
	}

	/**
	 * An S3 notification as AWS sends it (the key has no character that needs encoding).
	 */
	private static String event(String key) {
		return """
				{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
				"eventTime":"2026-12-07T10:00:00.000Z","eventName":"ObjectCreated:Put",
				"s3":{"s3SchemaVersion":"1.0","configurationId":"bench",
				"bucket":{"name":"%s","arn":"arn:aws:s3:::%s"},
				"object":{"key":"%s","size":1,"eTag":"0","sequencer":"0"}}}]}
				""".formatted(BUCKET, BUCKET, key);
	}

	private static S3Client client(URI endpoint) {
		return S3Client.builder()
			.endpointOverride(endpoint)
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
			.httpClient(UrlConnectionHttpClient.create())
			.build();
	}

}
