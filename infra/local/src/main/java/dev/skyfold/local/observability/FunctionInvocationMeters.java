package dev.skyfold.local.observability;

import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import dev.skyfold.kernel.FunctionMetrics;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;

import org.springframework.cloud.function.observability.FunctionContext;
import org.springframework.stereotype.Component;

/**
 * Records the {@link FunctionMetrics} meters from Spring Cloud Function's observation of
 * each invocation, so that the local app's {@code /actuator/prometheus} carries the same
 * names as the cloud hosts. A function's first invocation in the process counts as its
 * cold start, as on the platforms.
 */
@Component
class FunctionInvocationMeters implements ObservationHandler<FunctionContext> {

	private static final String STARTED = FunctionInvocationMeters.class.getName() + ".started";

	private final MeterRegistry meters;

	private final Set<String> invoked = ConcurrentHashMap.newKeySet();

	FunctionInvocationMeters(MeterRegistry meters) {
		this.meters = meters;
	}

	@Override
	public boolean supportsContext(Observation.Context context) {
		return context instanceof FunctionContext;
	}

	@Override
	public void onStart(FunctionContext context) {
		context.put(STARTED, System.nanoTime());
	}

	@Override
	public void onStop(FunctionContext context) {
		String function = context.getTargetFunction().getFunctionDefinition();
		Long started = context.get(STARTED);
		this.meters.counter(FunctionMetrics.INVOCATIONS, FunctionMetrics.FUNCTION_TAG, function).increment();
		if (context.getError() != null) {
			this.meters.counter(FunctionMetrics.ERRORS, FunctionMetrics.FUNCTION_TAG, function).increment();
		}
		if (started != null) {
			Timer.builder(FunctionMetrics.DURATION)
				.tag(FunctionMetrics.FUNCTION_TAG, function)
				.register(this.meters)
				.record(Duration.ofNanos(System.nanoTime() - started));
		}
		if (this.invoked.add(function)) {
			this.meters.counter(FunctionMetrics.COLD_STARTS, FunctionMetrics.FUNCTION_TAG, function).increment();
		}
	}

}
