package dev.skyfold.chat.aws.benchmark;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skyfold.chat.aws.dynamodb.DynaliteTables;
import dev.skyfold.testsupport.loopback.DynaliteServer;
import dev.skyfold.testsupport.loopback.lambda.ColdStarts;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Launch;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * Cold start of {@code postMessage} on Lambda, measured as Lambda starts a Java function:
 * AWS's runtime interface client in a fresh JVM with Lambda's JVM flags, pinned to one
 * CPU, handed API Gateway requests (payload 2.0, a member's JWT claims) whose message it
 * stores in dynalite, as the SAM template configures it (FCM off: the table's stream
 * broadcasts). Each run is timed in three phases ({@link ColdStarts}): init, the first
 * invocation and the warm ones after it. Variants, interleaved round by round: the plain
 * {@link PlainPostHandler} (the floor); the Skyfold jar as shipped, before its start-up
 * work (every auto-configuration and bean), with every bean built, and primed at init
 * ({@code SKYFOLD_LAMBDA_PRIMING_ONINIT=true}, what a SnapStart restore starts from); the
 * floor and the jar also with an AppCDS archive from a training run. Run by
 * {@code image-resizer/benchmark/cold-start.sh}.
 * <p>
 * Usage: {@code ColdStartBenchmark SKYFOLD_JAR FLOOR_CLASSPATH [ROUNDS] [WARM]}.
 */
public final class ColdStartBenchmark {

	private static final String TABLE = "bench-chat";

	private static final List<String> LAMBDA_JVM = List.of("-XX:+TieredCompilation", "-XX:TieredStopAtLevel=1",
			"-XX:+UseSerialGC");

	private static final Duration TIMEOUT = Duration.ofSeconds(120);

	private static final JsonMapper json = JsonMapper.builder().build();

	private ColdStartBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path skyfoldJar = Path.of(args[0]);
		List<Path> floorClasspath = Arrays.stream(args[1].split(File.pathSeparator)).map(Path::of).toList();
		int rounds = (args.length > 2) ? Integer.parseInt(args[2]) : 5;
		int warm = (args.length > 3) ? Integer.parseInt(args[3]) : 5;
		List<String> pin = Files.isExecutable(Path.of("/usr/bin/taskset")) ? List.of("/usr/bin/taskset", "-c", "0")
				: List.of();
		Path work = Files.createTempDirectory("skyfold-cold-start-");
		String request;
		try (var in = ColdStartBenchmark.class.getResourceAsStream("/events/apigw-v2-post.json")) {
			request = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
		}
		AtomicInteger posted = new AtomicInteger();

		try (DynaliteServer dynalite = new DynaliteServer().start();
				DynamoDbClient dynamo = DynaliteTables.client(dynalite.endpoint())) {
			DynaliteTables.create(dynamo, TABLE);
			Map<String, String> env = Map.of("AWS_ENDPOINT_URL_DYNAMODB", dynalite.endpoint().toString(),
					"AWS_ACCESS_KEY_ID", DynaliteTables.ACCESS_KEY, "AWS_SECRET_ACCESS_KEY", DynaliteTables.ACCESS_KEY,
					"AWS_REGION", "us-east-1", "SKYFOLD_CHAT_AWS_TABLE", TABLE);
			Map<String, String> skyfoldEnv = new LinkedHashMap<>(env);
			skyfoldEnv.put("SPRING_CLOUD_FUNCTION_DEFINITION", "postMessage");
			skyfoldEnv.put("MAIN_CLASS", "dev.skyfold.chat.aws.ChatNotifierLambdaApplication");
			skyfoldEnv.put("SKYFOLD_CHAT_FCM_ENABLED", "false");
			Map<String, String> primedEnv = new LinkedHashMap<>(skyfoldEnv);
			primedEnv.put("SKYFOLD_LAMBDA_PRIMING_ONINIT", "true");
			Map<String, String> eagerEnv = new LinkedHashMap<>(skyfoldEnv);
			eagerEnv.put("SPRING_MAIN_LAZYINITIALIZATION", "false");
			// Before the start-up work: every auto-configuration and bean of the jar.
			Map<String, String> untunedEnv = new LinkedHashMap<>(skyfoldEnv);
			untunedEnv.put("SPRING_AUTOCONFIGURE_EXCLUDE", "");
			untunedEnv.put("SPRING_MAIN_LAZYINITIALIZATION", "false");
			String invoker = "dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest";

			Launch floor = new Launch(floorClasspath, PlainPostHandler.class.getName() + "::handleRequest", env,
					LAMBDA_JVM, pin);
			Launch skyfold = new Launch(List.of(skyfoldJar), invoker, skyfoldEnv, LAMBDA_JVM, pin);
			Launch primed = new Launch(List.of(skyfoldJar), invoker, primedEnv, LAMBDA_JVM, pin);
			Launch eager = new Launch(List.of(skyfoldJar), invoker, eagerEnv, LAMBDA_JVM, pin);
			Launch untuned = new Launch(List.of(skyfoldJar), invoker, untunedEnv, LAMBDA_JVM, pin);
			Map<String, Launch> variants = new LinkedHashMap<>();
			ColdStarts benchmark = new ColdStarts("postMessage", variants,
					() -> event(request, posted.incrementAndGet()), (answer) -> {
						if (!answer.body().contains("\"statusCode\":201")) {
							throw new IllegalStateException("Not stored: " + answer.body());
						}
					}, warm, TIMEOUT);
			variants.put("plain handler (floor)", floor);
			variants.put("plain handler + AppCDS", withArchive(benchmark, floor, work.resolve("floor.jsa")));
			variants.put("Skyfold before (all auto-config, eager)", untuned);
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

	/** A new message each time, so each invocation stores one. */
	private static String event(String request, int n) {
		ObjectNode event = (ObjectNode) json.readTree(request);
		event.put("body", "{\"room\":\"bench\",\"text\":\"Cold start message " + n + "\"}");
		return event.toString();
	}

	private static Launch withArchive(ColdStarts benchmark, Launch launch, Path archive) {
		benchmark.measure(new Launch(launch.classpath(), launch.handler(), launch.environment(),
				concat(launch.jvmOptions(), "-XX:ArchiveClassesAtExit=" + archive), launch.commandPrefix()));
		return new Launch(launch.classpath(), launch.handler(), launch.environment(),
				concat(launch.jvmOptions(), "-XX:SharedArchiveFile=" + archive), launch.commandPrefix());
	}

	private static List<String> concat(List<String> options, String option) {
		List<String> all = new java.util.ArrayList<>(options);
		all.add(option);
		return all;
	}

}
