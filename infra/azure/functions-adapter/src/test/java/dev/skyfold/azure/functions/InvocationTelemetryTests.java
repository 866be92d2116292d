package dev.skyfold.azure.functions;

import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.logging.Logger;

import com.microsoft.azure.functions.TraceContext;
import com.microsoft.azure.functions.internal.spi.middleware.MiddlewareContext;
import dev.skyfold.kernel.FunctionMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.slf4j.MDC;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class InvocationTelemetryTests {

	private static final String TRACE_ID = "4bf92f3577b34da6a3ce929d0e0e4736";

	private static final String SPAN_ID = "00f067aa0ba902b7";

	private final SimpleMeterRegistry meters = new SimpleMeterRegistry();

	private final InvocationTelemetry telemetry = new InvocationTelemetry(this.meters);

	@Test
	void putsTheInvocationsTraceIdsInTheLoggingContextWhileItRuns() throws Exception {
		AtomicReference<Map<String, String>> seen = new AtomicReference<>();
		this.telemetry.invoke(context("resizeImage"), (context) -> seen.set(MDC.getCopyOfContextMap()));

		assertThat(seen.get()).containsEntry("traceId", TRACE_ID)
			.containsEntry("spanId", SPAN_ID)
			.containsEntry("invocationId", "invocation-1");
		assertThat(MDC.get("traceId")).as("after the invocation").isNull();
	}

	@Test
	void countsInvocationsErrorsDurationAndTheFirstCallAsAColdStart() throws Exception {
		this.telemetry.invoke(context("postMessage"), (context) -> {
		});
		assertThatIllegalStateException().isThrownBy(() -> this.telemetry.invoke(context("postMessage"), (context) -> {
			throw new IllegalStateException("store down");
		}));

		assertThat(count(FunctionMetrics.INVOCATIONS, "postMessage")).isEqualTo(2);
		assertThat(count(FunctionMetrics.ERRORS, "postMessage")).isEqualTo(1);
		assertThat(count(FunctionMetrics.COLD_STARTS, "postMessage")).isEqualTo(1);
		assertThat(this.meters.get(FunctionMetrics.DURATION)
			.tag(FunctionMetrics.FUNCTION_TAG, "postMessage")
			.timer()
			.count()).isEqualTo(2);
		assertThat(MDC.get("invocationId")).as("after a failed invocation").isNull();
	}

	private double count(String name, String function) {
		return this.meters.get(name).tag(FunctionMetrics.FUNCTION_TAG, function).counter().count();
	}

	private static MiddlewareContext context(String function) {
		return new MiddlewareContext() {

			@Override
			public Logger getLogger() {
				return Logger.getAnonymousLogger();
			}

			@Override
			public String getInvocationId() {
				return "invocation-1";
			}

			@Override
			public String getFunctionName() {
				return function;
			}

			@Override
			public TraceContext getTraceContext() {
				return new TraceContext() {

					@Override
					public String getTraceparent() {
						return "00-" + TRACE_ID + "-" + SPAN_ID + "-01";
					}

					@Override
					public String getTracestate() {
						return "";
					}

					@Override
					public Map<String, String> getAttributes() {
						return Map.of();
					}

				};
			}

			@Override
			public String getParameterName(String annotation) {
				return "";
			}

			@Override
			public Object getParameterValue(String name) {
				return "";
			}

			@Override
			public void updateParameterValue(String name, Object value) {
			}

			@Override
			public Object getReturnValue() {
				return "";
			}

			@Override
			public void updateReturnValue(Object value) {
			}

		};
	}

}
