package dev.skyfold.imageresizer.azure;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.skyfold.testsupport.AutoConfigurationRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the resizer's Azure module: the core's ports,
 * domain and functions plus the Azure SDK and the Functions library, nothing of the other
 * cloud, the other feature or the core's adapters; handlers free of Spring and the
 * storage SDK, the store free of Spring and the Functions library.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.skyfold.imageresizer.azure";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void importsTheMainClassesOnly() {
		assertThat(classes.stream().map(JavaClass::getSimpleName))
			.contains("ImageResizerAzureApplication", "AzureBlobStore", "AzureBlobClients", "BlobCreatedEvents",
					"ResizeImageHandler", "ImageResizerAzureAutoConfiguration", "ImageResizerAzureProperties")
			.doesNotContain("ArchitectureTests", "Samples", "TestExecutionContext");
	}

	@Test
	void dependsOnNoAwsOrGoogleSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.google.firebase..", "com.google.cloud..")
			.check(classes);
	}

	@Test
	void dependsOnNoOtherFeature() {
		noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.skyfold.chat..").check(classes);
	}

	@Test
	void dependsOnNoAdapterOfTheCore() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.imageresizer.adapter..")
			.check(classes);
	}

	@Test
	void mapsEventsOntoTheCoresDomainWithoutSpringOrTheStorageSdk() {
		noClasses().that()
			.resideInAPackage(ROOT + ".functions..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.azure..", "dev.skyfold.imageresizer.application..",
					"dev.skyfold.imageresizer.port..", "dev.skyfold.imageresizer.autoconfigure..", ROOT + ".blob..")
			.check(classes);
	}

	@Test
	void keepsTheBlobStoreFreeOfSpringAndTheFunctionsLibrary() {
		noClasses().that()
			.resideInAPackage(ROOT + ".blob..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.microsoft.azure.functions..", ROOT + ".functions..",
					"dev.skyfold.imageresizer.application..")
			.check(classes);
	}

	@Test
	void usesAutoConfigurationClassesOnlyFromTheAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.imageresizer.autoconfigure..", ROOT + ".autoconfigure..")
			.check(classes);
	}

	@Test
	void autoConfigurationsArePublicFinalAutoConfigurationOrProperties() {
		classes().that()
			.resideInAPackage(ROOT + ".autoconfigure..")
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("package-info")
			.should(AutoConfigurationRules.beAutoConfigurationOrConfigurationProperties())
			.check(classes);
		classes().that()
			.resideInAPackage(ROOT + ".autoconfigure..")
			.and()
			.areNestedClasses()
			.should(AutoConfigurationRules.beNestedPropertiesOrConfiguration())
			.allowEmptyShould(true)
			.check(classes);
	}

	@Test
	void registersEveryAutoConfigurationInImports() {
		AutoConfigurationRules.assertRegisteredInImports(classes, ROOT);
	}

}
