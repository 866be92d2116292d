package dev.skyfold.testsupport.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.skyfold.fixture.badcore.application.ConfiguredFunction;
import dev.skyfold.fixture.badcore.application.OtherFeatureFunction;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link ModuleArchitecture#dependsOnNoOtherFeature()} fails on a fixture class that uses
 * another feature and passes on a fixture that keeps to its own; the fixtures are test
 * classes, which the default {@link ModuleArchitecture#mainClasses()} leaves out.
 */
class ModuleArchitectureTests {

	@Test
	void dependsOnNoOtherFeatureFailsOnAClassThatUsesAnotherFeature() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(module("dev.skyfold.fixture.badcore")::dependsOnNoOtherFeature)
			.withMessageContaining(OtherFeatureFunction.class.getName())
			.withMessageNotContaining("<" + ConfiguredFunction.class.getName());
	}

	@Test
	void dependsOnNoOtherFeaturePassesOnAModuleThatUsesOnlyItsFeature() {
		assertThatCode(module("dev.skyfold.fixture.cleancore")::dependsOnNoOtherFeature).doesNotThrowAnyException();
	}

	@Test
	void defaultMainClassesLeaveOutTheFixturesBecauseTheyAreTestClasses() {
		assertThat(MainClasses.under("dev.skyfold.fixture")).isEmpty();
	}

	private static ModuleArchitecture module(String rootPackage) {
		JavaClasses classes = new ClassFileImporter().importPackages(rootPackage);
		return new ModuleArchitecture() {

			@Override
			public String rootPackage() {
				return rootPackage;
			}

			@Override
			public JavaClasses mainClasses() {
				return classes;
			}

		};
	}

}
