package dev.skyfold.gcp.functions;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The adapter is infrastructure only: Spring, the Functions Framework and Google's token
 * verification, no feature and no other cloud.
 */
class ArchitectureTests {

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.skyfold.gcp.functions");

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
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.azure..", "com.microsoft..")
			.check(classes);
	}

	@Test
	void usesNoGoogleCloudStoreClient() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("com.google.cloud.storage..", "com.google.cloud.firestore..")
			.check(classes);
	}

}
