package dev.skyfold.testsupport.architecture;

import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.skyfold.fixture.badcore.application.ConfiguredFunction;
import dev.skyfold.fixture.badcore.autoconfigure.BadCoreAutoConfiguration;
import dev.skyfold.fixture.badcore.autoconfigure.BadCoreProperties;
import dev.skyfold.fixture.badplatform.aws.autoconfigure.BadPlatformAutoConfiguration;
import dev.skyfold.fixture.badplatform.aws.autoconfigure.PlainHelper;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link AutoConfigurationRules} fail on the bad fixtures' {@code autoconfigure} packages
 * (not final, not an auto-configuration, a public nested configuration, not registered in
 * {@code AutoConfiguration.imports}), naming the offending classes, and pass on a
 * registered clean one.
 */
class AutoConfigurationRulesTests {

	private static final String BAD_CORE = "dev.skyfold.fixture.badcore";

	private static final String BAD_PLATFORM = "dev.skyfold.fixture.badplatform.aws";

	private static final String CLEAN_CORE = "dev.skyfold.fixture.cleancore";

	private static final String OTHER_FEATURE = "dev.skyfold.fixture.otherfeature";

	@Test
	void publicFinalRuleFailsOnANonFinalAutoConfigurationAndOnAPlainClass() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(rules(BAD_PLATFORM)::autoConfigurationsArePublicFinalAutoConfigurationOrProperties)
			.withMessageContainingAll(BadPlatformAutoConfiguration.class.getName() + " is neither",
					PlainHelper.class.getName() + " is neither");
	}

	@Test
	void publicFinalRuleFailsOnAPublicNestedConfiguration() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(rules(BAD_CORE)::autoConfigurationsArePublicFinalAutoConfigurationOrProperties)
			.withMessageContaining(BadCoreAutoConfiguration.Exposed.class.getName() + " is not")
			.withMessageNotContaining(BadCoreAutoConfiguration.class.getName() + " is neither")
			.withMessageNotContaining(BadCoreProperties.class.getName());
	}

	@Test
	void publicFinalRuleFailsOnAPublicNestedClassEvenWhenNamedAsAHelper() {
		AutoConfigurationRules rules = new Rules(BAD_CORE) {

			@Override
			public Set<String> autoConfigurationHelpers() {
				return Set.of("Exposed");
			}

		};
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(rules::autoConfigurationsArePublicFinalAutoConfigurationOrProperties)
			.withMessageContaining(BadCoreAutoConfiguration.Exposed.class.getName());
	}

	@Test
	void registersEveryAutoConfigurationInImportsFailsOnAnUnregisteredAutoConfiguration() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(rules(BAD_CORE)::registersEveryAutoConfigurationInImports)
			.withMessageContaining(BadCoreAutoConfiguration.class.getName());
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(rules(BAD_PLATFORM)::registersEveryAutoConfigurationInImports)
			.withMessageContaining(BadPlatformAutoConfiguration.class.getName());
	}

	@Test
	void registersEveryAutoConfigurationInImportsFailsOnAModuleWithoutAutoConfiguration() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(rules(OTHER_FEATURE)::registersEveryAutoConfigurationInImports)
			.withMessageContaining("@AutoConfiguration classes under " + OTHER_FEATURE);
	}

	@Test
	void registersEveryAutoConfigurationInImportsPassesOnARegisteredAutoConfiguration() {
		assertThatCode(rules(CLEAN_CORE)::registersEveryAutoConfigurationInImports).doesNotThrowAnyException();
	}

	@Test
	void usesAutoConfigurationClassesOnlyFromTheAutoConfigurationFailsOnAFunctionThatReadsTheProperties() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(rules(BAD_CORE)::usesAutoConfigurationClassesOnlyFromTheAutoConfiguration)
			.withMessageContaining(ConfiguredFunction.class.getName());
	}

	private static AutoConfigurationRules rules(String rootPackage) {
		return new Rules(rootPackage);
	}

	/**
	 * The rules for the fixture under a root package, imported with its test classes.
	 */
	private static class Rules implements AutoConfigurationRules {

		private final String rootPackage;

		private final JavaClasses classes;

		Rules(String rootPackage) {
			this.rootPackage = rootPackage;
			this.classes = new ClassFileImporter().importPackages(rootPackage);
		}

		@Override
		public String rootPackage() {
			return this.rootPackage;
		}

		@Override
		public JavaClasses mainClasses() {
			return this.classes;
		}

	}

}
