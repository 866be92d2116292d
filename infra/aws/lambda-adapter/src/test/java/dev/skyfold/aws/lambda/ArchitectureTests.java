package dev.skyfold.aws.lambda;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter is infrastructure only: no feature, and nothing of another cloud.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.skyfold.aws.lambda");

	@Test
	void importsTheMainClassesOnly() {
		assertThat(classes.stream().map(JavaClass::getSimpleName)).contains("SkyfoldFunctionInvoker")
			.doesNotContain("ArchitectureTests");
	}

	@Test
	void dependsOnNoFeature() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.imageresizer..", "dev.skyfold.chat..")
			.check(classes);
	}

	@Test
	void dependsOnNoOtherCloud() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("com.azure..", "com.microsoft..", "com.google..")
			.check(classes);
	}

}
