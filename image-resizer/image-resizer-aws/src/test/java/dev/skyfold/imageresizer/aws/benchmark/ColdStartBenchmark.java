package dev.skyfold.imageresizer.aws.benchmark;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.skyfold.testsupport.loopback.S3MockServer;
import dev.skyfold.testsupport.loopback.lambda.ColdStarts;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Launch;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Cold start of {@code resizeImage} on Lambda, measured as Lambda starts a Java function:
 * AWS's runtime interface client in a fresh JVM with Lambda's JVM flags, pinned to one
 * CPU, handed S3 events that name a photo in S3Mock (read it, write the thumbnail). Each
 * run is timed in three phases ({@link ColdStarts}): init, the first invocation and the
 * warm ones after it. Variants, interleaved round by round: the plain
 * {@link PlainResizeHandler} (the floor); the Skyfold jar as the SAM template starts it
 * (Spring AOT, lazy initialization), before that start-up work (no AOT, every
 * auto-configuration and bean), with every bean built, and primed at init
 * ({@code SKYFOLD_LAMBDA_PRIMING_ONINIT=true}, what a SnapStart restore starts from); the
 * floor and the jar also with an AppCDS archive from a training run. Run by
 * {@code image-resizer/benchmark/cold-start.sh}.
 * <p>
 * Usage: {@code ColdStartBenchmark SKYFOLD_JAR FLOOR_CLASSPATH PHOTO [ROUNDS] [WARM]}.
 */
public final class ColdStartBenchmark {

	private static final String BUCKET = "bench";

	private static final String KEY = "uploads/cold start+1.jpg";

	private static final List<String> LAMBDA_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC");

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private ColdStartBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path skyfoldJar = Path.of(args[0]);
		List<Path> floorClasspath = Arrays.stream(args[1].split(File.pathSeparator)).map(Path::of).toList();
		byte[] photo = Files.readAllBytes(Path.of(args[2]));
		int rounds = (args.length > 3) ? Integer.parseInt(args[3]) : 5;
		int warm = (args.length > 4) ? Integer.parseInt(args[4]) : 5;
		List<String> pin = Files.isExecutable(Path.of("/usr/bin/taskset")) ? List.of("/usr/bin/taskset", "-c", "0")
				: List.of();
		Path work = Files.createTempDirectory("skyfold-cold-start-");

		try (S3MockServer s3 = new S3MockServer(BUCKET).start(); S3Client client = client(s3.endpoint())) {
			client.putObject((put) -> put.bucket(BUCKET).key(KEY).contentType("image/jpeg"),
					RequestBody.fromBytes(photo));
			Map<String, String> env = Map.of("AWS_ENDPOINT_URL_S3", s3.endpoint().toString(), "AWS_ACCESS_KEY_ID",
					"bench", "AWS_SECRET_ACCESS_KEY", "bench", "AWS_REGION", "us-east-1");
			Map<String, String> skyfoldEnv = new LinkedHashMap<>(env);
			skyfoldEnv.put("SPRING_CLOUD_FUNCTION_DEFINITION", "resizeImage");
			skyfoldEnv.put("MAIN_CLASS", "dev.skyfold.imageresizer.aws.ImageResizerLambdaApplication");
			// As the SAM template starts it: Spring AOT's build-time bean definitions.
			skyfoldEnv.put("JAVA_TOOL_OPTIONS", "-Dspring.aot.enabled=true");
			Map<String, String> primedEnv = new LinkedHashMap<>(skyfoldEnv);
			primedEnv.put("SKYFOLD_LAMBDA_PRIMING_ONINIT", "true");
			Map<String, String> eagerEnv = new LinkedHashMap<>(skyfoldEnv);
			eagerEnv.put("SPRING_MAIN_LAZYINITIALIZATION", "false");
			// Before the start-up work: no AOT, every auto-configuration and bean of the
			// jar.
			Map<String, String> untunedEnv = new LinkedHashMap<>(skyfoldEnv);
			untunedEnv.remove("JAVA_TOOL_OPTIONS");
			untunedEnv.put("SPRING_AUTOCONFIGURE_EXCLUDE", "");
			untunedEnv.put("SPRING_MAIN_LAZYINITIALIZATION", "false");
			String invoker = "dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest";

			Launch floor = new Launch(floorClasspath, PlainResizeHandler.class.getName() + "::handleRequest", env,
					LAMBDA_JVM, pin);
			Launch skyfold = new Launch(List.of(skyfoldJar), invoker, skyfoldEnv, LAMBDA_JVM, pin);
			Launch primed = new Launch(List.of(skyfoldJar), invoker, primedEnv, LAMBDA_JVM, pin);
			Launch eager = new Launch(List.of(skyfoldJar), invoker, eagerEnv, LAMBDA_JVM, pin);
			Launch untuned = new Launch(List.of(skyfoldJar), invoker, untunedEnv, LAMBDA_JVM, pin);
			Map<String, Launch> variants = new LinkedHashMap<>();
			ColdStarts benchmark = new ColdStarts("resizeImage", variants, () -> event(client),
					(answer) -> client.headObject((head) -> head.bucket(BUCKET).key("resized/" + KEY)), warm, TIMEOUT);
			variants.put("plain handler (floor)", floor);
			variants.put("plain handler + AppCDS", withArchive(benchmark, floor, work.resolve("floor.jsa")));
			variants.put("Skyfold before (no AOT, all auto-config, eager)", untuned);
			variants.put("Skyfold", skyfold);
			variants.put("Skyfold, every bean built", eager);
			variants.put("Skyfold primed at init", primed);
			variants.put("Skyfold + AppCDS", withArchive(benchmark, skyfold, work.resolve("skyfold.jsa")));
			variants.put("Skyfold primed + AppCDS", withArchive(benchmark, primed, work.resolve("primed.jsa")));
			System.out.printf("machine %d CPUs, runs pinned to %s; %s; %d warm invocations a run%n",
					Runtime.getRuntime().availableProcessors(), pin.isEmpty() ? "no CPU (taskset missing)" : "CPU 0",
					System.getProperty("java.vm.version"), warm);
			benchmark.run(rounds);
		}
	}

	/**
	 * The launch with an AppCDS archive of the classes a first invocation loads, made by
	 * a training run.
	 */
	private static Launch withArchive(ColdStarts benchmark, Launch launch, Path archive) {
		benchmark.measure(new Launch(launch.classpath(), launch.handler(), launch.environment(),
				concat(launch.jvmOptions(), "-XX:ArchiveClassesAtExit=" + archive), launch.commandPrefix()));
		return new Launch(launch.classpath(), launch.handler(), launch.environment(),
				concat(launch.jvmOptions(), "-XX:SharedArchiveFile=" + archive), launch.commandPrefix());
	}

	/**
	 * The event of the next invocation, with the thumbnail of the one before removed:
	 * each invocation writes it anew.
	 */
	private static String event(S3Client client) {
		client.deleteObject((delete) -> delete.bucket(BUCKET).key("resized/" + KEY));
		return event();
	}

	/** An S3 notification as AWS sends it: the key URL-encoded, a space as {@code +}. */
	private static String event() {
		return """
				{"Records":[{"eventVersion":"2.1","eventSource":"aws:s3","awsRegion":"us-east-1",
				"eventTime":"2026-11-27T10:00:00.000Z","eventName":"ObjectCreated:Put",
				"userIdentity":{"principalId":"EXAMPLE"},"requestParameters":{"sourceIPAddress":"127.0.0.1"},
				"responseElements":{"x-amz-request-id":"EXAMPLE","x-amz-id-2":"EXAMPLE"},
				"s3":{"s3SchemaVersion":"1.0","configurationId":"bench",
				"bucket":{"name":"%s","ownerIdentity":{"principalId":"EXAMPLE"},"arn":"arn:aws:s3:::%s"},
				"object":{"key":"uploads/cold+start%%2B1.jpg","size":1,"eTag":"0","sequencer":"0"}}}]}
				""".formatted(BUCKET, BUCKET);
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

	private static List<String> concat(List<String> options, String option) {
		List<String> all = new ArrayList<>(options);
		all.add(option);
		return all;
	}

}
