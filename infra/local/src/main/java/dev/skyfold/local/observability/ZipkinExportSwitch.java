package dev.skyfold.local.observability;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.PropertySource;

/**
 * Exports spans to Zipkin only once {@value #ENDPOINT} is set. Spring Boot would
 * otherwise send every span to a Zipkin it assumes on localhost:9411 and log each failed
 * send; traces still correlate the logs without an exporter. An explicit
 * {@value #ENABLED} wins either way.
 */
public class ZipkinExportSwitch implements EnvironmentPostProcessor, Ordered {

	static final String ENDPOINT = "management.tracing.export.zipkin.endpoint";

	static final String ENABLED = "management.tracing.export.zipkin.enabled";

	@Override
	public void postProcessEnvironment(ConfigurableEnvironment environment, SpringApplication application) {
		environment.getPropertySources().addLast(new EnabledWithEndpoint(environment));
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	/**
	 * The default of {@value #ENABLED}, read when the exporter's condition asks, so that
	 * an endpoint added after start-up's first steps (by a test, say) counts too.
	 */
	private static final class EnabledWithEndpoint extends PropertySource<Object> {

		// Not the source: Boot reads an environment given as a source as nested sources.
		private final ConfigurableEnvironment environment;

		EnabledWithEndpoint(ConfigurableEnvironment environment) {
			super("zipkinExportSwitch");
			this.environment = environment;
		}

		@Override
		public @Nullable Object getProperty(String name) {
			return ENABLED.equals(name) ? Boolean.toString(this.environment.containsProperty(ENDPOINT)) : null;
		}

	}

}
