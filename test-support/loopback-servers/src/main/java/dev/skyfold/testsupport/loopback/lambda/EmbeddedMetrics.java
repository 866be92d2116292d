package dev.skyfold.testsupport.loopback.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the CloudWatch Embedded Metric Format lines of a function's log and checks each
 * against the format's specification, as CloudWatch Logs would before it extracts the
 * metrics: a root {@code _aws} member with a millisecond {@code Timestamp} and
 * {@code CloudWatchMetrics} directives, each with a {@code Namespace}, dimension sets
 * whose every key names a string member of the line, and metric definitions (at most 100,
 * with a known unit if any) whose every name is a member holding a number or up to 100
 * numbers.
 */
public final class EmbeddedMetrics {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final Set<String> UNITS = Set.of("Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes",
			"Megabytes", "Gigabytes", "Terabytes", "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent",
			"Count", "Bytes/Second", "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second",
			"Bits/Second", "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second",
			"None");

	private EmbeddedMetrics() {
	}

	/**
	 * The metrics of every EMF line of a log, each checked against the specification.
	 * @param log a function's standard output
	 * @return one entry per metric of each line, in order
	 * @throws AssertionError when a line breaks the specification
	 */
	public static List<Metric> in(String log) {
		List<Metric> metrics = new ArrayList<>();
		for (String line : log.lines().toList()) {
			String trimmed = line.strip();
			if (trimmed.startsWith("{") && trimmed.contains("\"_aws\"")) {
				metrics.addAll(checked(trimmed));
			}
		}
		return metrics;
	}

	/**
	 * The metrics a function printed past a point of its log, by name (the first of each
	 * name), waiting a few seconds for its output to reach the log.
	 * @param function the function
	 * @param logged how much of its {@link LambdaFunction#log()} to skip
	 * @return the metrics, empty if it printed none in time
	 * @throws AssertionError when a line breaks the specification
	 * @throws InterruptedException when interrupted while waiting
	 */
	public static Map<String, Metric> loggedSince(LambdaFunction function, int logged) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
		List<Metric> metrics = List.of();
		while (metrics.isEmpty() && System.nanoTime() < deadline) {
			Thread.sleep(50);
			metrics = in(function.log().substring(logged));
		}
		Map<String, Metric> byName = new LinkedHashMap<>();
		metrics.forEach((metric) -> byName.putIfAbsent(metric.name(), metric));
		return byName;
	}

	private static List<Metric> checked(String line) {
		JsonNode root = JSON.readTree(line);
		JsonNode aws = root.path("_aws");
		require(aws.isObject(), "_aws is not an object", line);
		require(aws.path("Timestamp").isIntegralNumber() && aws.path("Timestamp").asLong() > 1_000_000_000_000L,
				"_aws.Timestamp is not a time in milliseconds", line);
		JsonNode directives = aws.path("CloudWatchMetrics");
		require(directives.isArray() && !directives.isEmpty(), "_aws.CloudWatchMetrics is not a non-empty array", line);
		List<Metric> metrics = new ArrayList<>();
		for (JsonNode directive : directives) {
			String namespace = directive.path("Namespace").asString("");
			require(!namespace.isBlank() && namespace.length() <= 255, "a directive's Namespace is missing", line);
			JsonNode dimensionSets = directive.path("Dimensions");
			require(dimensionSets.isArray(), "a directive's Dimensions is not an array", line);
			Map<String, String> dimensions = new LinkedHashMap<>();
			for (JsonNode set : dimensionSets) {
				require(set.isArray() && set.size() <= 30, "a dimension set is not an array of at most 30", line);
				for (JsonNode key : set) {
					JsonNode value = root.path(key.asString());
					require(value.isString(), "dimension " + key + " names no string member", line);
					dimensions.put(key.asString(), value.asString());
				}
			}
			JsonNode definitions = directive.path("Metrics");
			require(definitions.isArray() && definitions.size() <= 100,
					"a directive's Metrics is not an array of at most 100", line);
			for (JsonNode definition : definitions) {
				String name = definition.path("Name").asString("");
				require(!name.isEmpty() && name.length() <= 1024, "a metric has no Name", line);
				String unit = definition.path("Unit").asString("None");
				require(UNITS.contains(unit), "metric " + name + " has the unknown unit " + unit, line);
				JsonNode value = root.path(name);
				List<Double> values = new ArrayList<>();
				if (value.isNumber()) {
					values.add(value.asDouble());
				}
				else {
					require(value.isArray() && !value.isEmpty() && value.size() <= 100,
							"metric " + name + " has no number", line);
					for (JsonNode each : value) {
						require(each.isNumber(), "metric " + name + " holds a value that is not a number", line);
						values.add(each.asDouble());
					}
				}
				metrics.add(new Metric(namespace, Map.copyOf(dimensions), name, unit,
						values.stream().mapToDouble(Double::doubleValue).sum()));
			}
		}
		return metrics;
	}

	private static void require(boolean condition, String problem, String line) {
		if (!condition) {
			throw new AssertionError("Not an Embedded Metric Format line: " + problem + ":\n" + line);
		}
	}

	/**
	 * One metric of one EMF line.
	 *
	 * @param namespace its CloudWatch namespace
	 * @param dimensions its dimensions and their values
	 * @param name its name
	 * @param unit its unit, {@code None} when the line gives none
	 * @param value its value, the sum when the line gives several
	 */
	public record Metric(String namespace, Map<String, String> dimensions, String name, String unit, double value) {
	}

}
