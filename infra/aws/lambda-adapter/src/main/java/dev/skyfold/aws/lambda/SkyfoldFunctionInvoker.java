package dev.skyfold.aws.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.Context;
import dev.skyfold.kernel.FunctionMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import software.amazon.lambda.powertools.metrics.MetricsFactory;
import software.amazon.lambda.powertools.metrics.model.DimensionSet;
import software.amazon.lambda.powertools.metrics.model.MetricUnit;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

/**
 * The handler of every Skyfold Lambda function: Spring Cloud Function's
 * {@link FunctionInvoker}, which finds the function bean that
 * {@code SPRING_CLOUD_FUNCTION_DEFINITION} names, and around each invocation:
 * <ul>
 * <li>the invocation's X-Ray trace id ({@code traceId}), its segment ({@code spanId}) and
 * its request id in the logging context, so that every log line of the invocation carries
 * them;</li>
 * <li>afterwards, its meters written to standard output as CloudWatch Embedded Metric
 * Format lines in the {@value #NAMESPACE} namespace, dimensioned by function: the
 * {@link FunctionMetrics} of the invocation, and what the cores' own counters (thumbnails
 * written, messages stored, broadcast failures by kind) counted during it.</li>
 * </ul>
 * Lambda sends standard output to CloudWatch Logs, which turns those lines into metrics:
 * no API call on the invocation's time and no permission beyond writing logs.
 */
public class SkyfoldFunctionInvoker extends FunctionInvoker {

	/** The CloudWatch namespace of every Skyfold metric. */
	public static final String NAMESPACE = "Skyfold";

	/** What the cores count into {@link Metrics#globalRegistry}, read after each call. */
	private static final SimpleMeterRegistry COUNTED = new SimpleMeterRegistry();

	private static final Pattern TRACE_HEADER = Pattern.compile("Root=([^;]+)(?:;Parent=([^;]+))?");

	static {
		Metrics.addRegistry(COUNTED);
	}

	private final String function;

	/** What each counter had counted when last reported. */
	private final Map<Meter.Id, Double> reported = new HashMap<>();

	private boolean cold = true;

	public SkyfoldFunctionInvoker() {
		this.function = functionName();
	}

	@Override
	public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
		long started = System.nanoTime();
		boolean failed = true;
		putTraceIds(context);
		try {
			super.handleRequest(input, output, context);
			failed = false;
		}
		finally {
			try {
				report(failed, (System.nanoTime() - started) / 1_000_000.0);
			}
			finally {
				MDC.clear();
			}
		}
	}

	private synchronized void report(boolean failed, double millis) {
		software.amazon.lambda.powertools.metrics.Metrics metrics = MetricsFactory.getMetricsInstance();
		metrics.setNamespace(NAMESPACE);
		metrics.setDefaultDimensions(DimensionSet.of(FunctionMetrics.FUNCTION_TAG, this.function));
		metrics.addMetric(FunctionMetrics.INVOCATIONS, 1, MetricUnit.COUNT);
		metrics.addMetric(FunctionMetrics.ERRORS, failed ? 1 : 0, MetricUnit.COUNT);
		metrics.addMetric(FunctionMetrics.DURATION, millis, MetricUnit.MILLISECONDS);
		if (this.cold) {
			metrics.addMetric(FunctionMetrics.COLD_STARTS, 1, MetricUnit.COUNT);
			this.cold = false;
		}
		for (Meter meter : COUNTED.getMeters()) {
			if (meter instanceof Counter counter) {
				double total = counter.count();
				double counted = total - this.reported.getOrDefault(counter.getId(), 0.0);
				this.reported.put(counter.getId(), total);
				if (counted > 0) {
					report(metrics, counter.getId(), counted);
				}
			}
		}
		metrics.flush();
	}

	/**
	 * A counter without tags joins the invocation's line; one with tags, such as a
	 * broadcast failure's kind, gets a line of its own with its tags as dimensions.
	 */
	private void report(software.amazon.lambda.powertools.metrics.Metrics metrics, Meter.Id id, double counted) {
		MetricUnit unit = "bytes".equals(id.getBaseUnit()) ? MetricUnit.BYTES : MetricUnit.COUNT;
		if (id.getTags().isEmpty()) {
			metrics.addMetric(id.getName(), counted, unit);
			return;
		}
		DimensionSet dimensions = DimensionSet.of(FunctionMetrics.FUNCTION_TAG, this.function);
		for (Tag tag : id.getTags()) {
			dimensions.addDimension(tag.getKey(), tag.getValue());
		}
		metrics.flushSingleMetric(id.getName(), counted, unit, NAMESPACE, dimensions);
	}

	private static void putTraceIds(Context context) {
		MDC.put("requestId", context.getAwsRequestId());
		String header = traceHeader(context);
		Matcher trace = (header != null) ? TRACE_HEADER.matcher(header) : null;
		if (trace != null && trace.find()) {
			MDC.put("traceId", trace.group(1));
			if (trace.group(2) != null) {
				MDC.put("spanId", trace.group(2));
			}
		}
	}

	/** The X-Ray header of this invocation: the runtime's context, else its property. */
	private static @Nullable String traceHeader(Context context) {
		String header = context.getXrayTraceId();
		return (header != null) ? header : System.getProperty("com.amazonaws.xray.traceHeader");
	}

	private static String functionName() {
		String definition = System.getenv("SPRING_CLOUD_FUNCTION_DEFINITION");
		if (definition == null || definition.isBlank()) {
			definition = System.getProperty("spring.cloud.function.definition");
		}
		return (definition != null && !definition.isBlank()) ? definition : "function";
	}

}
