package dev.skyfold.local.observability;

import java.util.Map;

import io.micrometer.registry.otlp.OtlpMeterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.micrometer.metrics.autoconfigure.export.otlp.OtlpMetricsExportAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.StandardEnvironment;

import static org.assertj.core.api.Assertions.assertThat;

class ExportSwitchesTests {

	@Test
	void switchesEachExporterOnOnlyWithItsEndpoint() {
		StandardEnvironment environment = withSwitches(Map.of());
		assertThat(environment.getProperty("management.tracing.export.zipkin.enabled")).isEqualTo("false");
		assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isEqualTo("false");
		assertThat(environment.getProperty("management.otlp.tracing.export.enabled")).isNull();

		environment = withSwitches(Map.of("management.otlp.metrics.export.url", "http://127.0.0.1:4318/v1/metrics"));
		assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isEqualTo("true");
		assertThat(environment.getProperty("management.tracing.export.zipkin.enabled")).isEqualTo("false");
	}

	@Test
	void anExplicitSwitchWins() {
		StandardEnvironment environment = withSwitches(Map.of("management.otlp.metrics.export.enabled", "true"));
		assertThat(environment.getProperty("management.otlp.metrics.export.enabled")).isEqualTo("true");
	}

	@Test
	void noMetricsAreSentOverOtlpUntilACollectorIsNamed() {
		ApplicationContextRunner runner = new ApplicationContextRunner()
			.withInitializer((context) -> new ExportSwitches().postProcessEnvironment(context.getEnvironment(),
					new SpringApplication()))
			.withConfiguration(
					AutoConfigurations.of(MetricsAutoConfiguration.class, OtlpMetricsExportAutoConfiguration.class));
		runner.run((context) -> assertThat(context).doesNotHaveBean(OtlpMeterRegistry.class));
		runner.withPropertyValues("management.otlp.metrics.export.url=http://127.0.0.1:1/v1/metrics")
			.run((context) -> assertThat(context).hasSingleBean(OtlpMeterRegistry.class));
	}

	private static StandardEnvironment withSwitches(Map<String, Object> properties) {
		StandardEnvironment environment = new StandardEnvironment();
		environment.getPropertySources().addFirst(new MapPropertySource("test", properties));
		new ExportSwitches().postProcessEnvironment(environment, new SpringApplication());
		return environment;
	}

}
