package dev.skyfold.gcp.functions;

import java.util.HashMap;
import java.util.Map;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import dev.skyfold.gcp.functions.sample.SampleApplication;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * Tests for {@link SpringFunctions}: one application per instance, started from
 * {@value SpringFunctions#MAIN_CLASS}, handing out the handler bean of the function
 * {@value SpringFunctions#DEFINITION} names.
 */
class SpringFunctionsTests {

	private final Map<String, String> settings = new HashMap<>(Map.of(SpringFunctions.MAIN_CLASS,
			SampleApplication.class.getName(), SpringFunctions.DEFINITION, "upperCase"));

	@BeforeEach
	@AfterEach
	void stopTheApplication() {
		SpringFunctions.close();
		SampleApplication.starts.set(0);
	}

	@Test
	void handsOutTheHandlerBeanNamedAfterTheFunction() {
		HttpFunction handler = SpringFunctions.handler(HttpFunction.class, this.settings::get);
		assertThat(handler).isSameAs(SpringFunctions.handler(HttpFunction.class, this.settings::get));
		assertThat(SampleApplication.starts).hasValue(1);
	}

	@Test
	void startsAgainAfterClose() {
		SpringFunctions.handler(HttpFunction.class, this.settings::get);
		SpringFunctions.close();
		SpringFunctions.handler(HttpFunction.class, this.settings::get);
		assertThat(SampleApplication.starts).hasValue(2);
	}

	@Test
	void saysWhichSettingIsMissing() {
		assertThatIllegalStateException().isThrownBy(() -> SpringFunctions.handler(HttpFunction.class, (name) -> null))
			.withMessageContaining("SPRING_CLOUD_FUNCTION_DEFINITION is not set");
		this.settings.remove(SpringFunctions.MAIN_CLASS);
		assertThatIllegalStateException()
			.isThrownBy(() -> SpringFunctions.handler(HttpFunction.class, this.settings::get))
			.withMessageContaining("MAIN_CLASS is not set");
		this.settings.put(SpringFunctions.MAIN_CLASS, "com.example.Missing");
		assertThatIllegalStateException()
			.isThrownBy(() -> SpringFunctions.handler(HttpFunction.class, this.settings::get))
			.withMessageContaining("com.example.Missing, which cannot be loaded");
	}

	@Test
	void refusesAFunctionWithoutAHandlerOfTheEntryPointsType() {
		assertThatIllegalStateException()
			.isThrownBy(() -> SpringFunctions.handler(CloudEventsFunction.class, this.settings::get))
			.withMessageContaining("no CloudEventsFunction bean named upperCaseHandler");
		this.settings.put(SpringFunctions.DEFINITION, "missing");
		assertThatIllegalStateException()
			.isThrownBy(() -> SpringFunctions.handler(HttpFunction.class, this.settings::get))
			.withMessageContaining("no HttpFunction bean named missingHandler");
	}

}
