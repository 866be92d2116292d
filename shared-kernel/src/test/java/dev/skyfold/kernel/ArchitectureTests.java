package dev.skyfold.kernel;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The kernel is shared by every feature and host, so it depends on the JDK and JSpecify
 * only.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.skyfold.kernel");

	@Test
	void importsTheKernelClasses() {
		assertThat(classes.contain(Rejection.class)).isTrue();
		assertThat(classes.contain(RejectedInputException.class)).isTrue();
		assertThat(classes.contain(ArchitectureTests.class)).isFalse();
	}

	@Test
	void dependsOnlyOnTheJdkAndJspecify() {
		classes().should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "org.jspecify..", "dev.skyfold.kernel..")
			.check(classes);
	}

}
