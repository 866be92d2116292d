package dev.skyfold.azure.functions;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.microsoft.azure.functions.TraceContext;
import com.microsoft.azure.functions.internal.spi.middleware.Middleware;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareChain;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareContext;
import dev.skyfold.kernel.FunctionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import io.micrometer.core.instrument.Timer;
import org.slf4j.MDC;

/**
 * Wraps every invocation the Java worker makes (its middleware SPI, found with a
 * {@link java.util.ServiceLoader}): the W3C trace id and span id of the invocation's
 * {@code traceparent}, and its invocation id, in the logging context for every log line;
 * and the {@link FunctionMetrics} meters in Micrometer's global registry, where the
 * Application Insights agent collects them, with the cores' own meters, as custom metrics
 * under the same names as on every other host.
 */
public final class InvocationTelemetry implements Middleware {

	private static final Pattern TRACEPARENT = Pattern.compile("^[0-9a-f]{2}-([0-9a-f]{32})-([0-9a-f]{16})-");

	private final MeterRegistry meters;

	private final Set<String> invoked = ConcurrentHashMap.newKeySet();

	/** Records into Micrometer's global registry, as the worker creates it. */
	public InvocationTelemetry() {
		this(Metrics.globalRegistry);
	}

	InvocationTelemetry(MeterRegistry meters) {
		this.meters = meters;
	}

	@Override
	public void invoke(MiddlewareContext context, MiddlewareChain chain) throws Exception {
		String function = context.getFunctionName();
		putTraceIds(context);
		long started = System.nanoTime();
		boolean failed = true;
		try {
			chain.doNext(context);
			failed = false;
		}
		finally {
			this.meters.counter(FunctionMetrics.INVOCATIONS, FunctionMetrics.FUNCTION_TAG, function).increment();
			if (failed) {
				this.meters.counter(FunctionMetrics.ERRORS, FunctionMetrics.FUNCTION_TAG, function).increment();
			}
			Timer.builder(FunctionMetrics.DURATION)
				.tag(FunctionMetrics.FUNCTION_TAG, function)
				.register(this.meters)
				.record(Duration.ofNanos(System.nanoTime() - started));
			if (this.invoked.add(function)) {
				this.meters.counter(FunctionMetrics.COLD_STARTS, FunctionMetrics.FUNCTION_TAG, function).increment();
			}
			MDC.remove("traceId");
			MDC.remove("spanId");
			MDC.remove("invocationId");
		}
	}

	private static void putTraceIds(MiddlewareContext context) {
		MDC.put("invocationId", context.getInvocationId());
		TraceContext trace = context.getTraceContext();
		String traceparent = (trace != null) ? trace.getTraceparent() : null;
		Matcher ids = (traceparent != null) ? TRACEPARENT.matcher(traceparent) : null;
		if (ids != null && ids.find()) {
			MDC.put("traceId", ids.group(1));
			MDC.put("spanId", ids.group(2));
		}
	}

}
