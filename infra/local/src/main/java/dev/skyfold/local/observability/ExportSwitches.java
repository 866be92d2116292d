package dev.skyfold.local.observability;

import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Exports spans to Zipkin, and metrics over OTLP, only once their endpoint is set. Spring
 * Boot would otherwise send every span to a Zipkin it assumes on localhost:9411, and
 * every minute's metrics to a collector it assumes on localhost:4318, and log each failed
 * send; traces still correlate the logs, and metrics stay at {@code /actuator/metrics}
 * and {@code /actuator/prometheus}, without an exporter. An explicit {@code enabled}
 * property wins either way.
 */
public class ExportSwitches implements EnvironmentPostProcessor, Ordered {

	/** Each exporter's switch, and the endpoint that turns it on. */
	static final Map<String, String> ENDPOINTS = Map.of("management.tracing.export.zipkin.enabled",
			"management.tracing.export.zipkin.endpoint", "management.otlp.metrics.export.enabled",
			"management.otlp.metrics.export.url");

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new EnabledWithEndpoint(environment));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * The default of each switch, read when the exporter's condition asks, so that an
	 * endpoint added after start-up's first steps (by a test, say) counts too.
	 */
	private static final class EnabledWithEndpoint extends PropertySource<Object> {

		// Not the source: Boot reads an environment given as a source as nested sources.
		private final ConfigurableEnvironment environment;

		EnabledWithEndpoint(ConfigurableEnvironment environment) {
			super("exportSwitches");
			this.environment = environment;
		}

		@Override
		public @Nullable Object getProperty(String name) {
			String endpoint = ENDPOINTS.get(name);
			return (endpoint != null) ? Boolean.toString(this.environment.containsProperty(endpoint)) : null;
		}

	}

}
