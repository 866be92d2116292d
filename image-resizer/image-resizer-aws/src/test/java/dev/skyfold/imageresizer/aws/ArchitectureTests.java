package dev.skyfold.imageresizer.aws;

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
 * The dependency rules of DESIGN.md for the resizer's AWS module: the core's ports,
 * domain and functions plus the AWS SDK, nothing of the other cloud, the other feature or
 * the core's adapters; event mapping free of the SDK, the store free of Spring.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.skyfold.imageresizer.aws";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void importsTheMainClassesOnly() {
		assertThat(classes.stream().map(JavaClass::getSimpleName))
			.contains("ImageResizerLambdaApplication", "S3BlobStore", "S3Clients", "ObjectCreatedEvents",
					"ResizeImageEventFunction", "ResizeSummary", "ImageResizerAwsAutoConfiguration",
					"ImageResizerAwsProperties")
			.doesNotContain("ArchitectureTests", "Samples");
	}

	@Test
	void dependsOnNoAzureOrGoogleSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("com.azure..", "com.microsoft.azure..", "com.google.firebase..", "com.google.cloud..")
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
	void mapsEventsWithoutTheAwsSdkOrSpring() {
		noClasses().that()
			.resideInAPackage(ROOT + ".lambda..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "org.springframework..")
			.check(classes);
	}

	@Test
	void mapsEventsOntoTheCoresDomainOnly() {
		noClasses().that()
			.resideInAPackage(ROOT + ".lambda..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.imageresizer.application..", "dev.skyfold.imageresizer.port..",
					"dev.skyfold.imageresizer.autoconfigure..")
			.check(classes);
	}

	@Test
	void keepsTheS3StoreFreeOfSpringAndLambda() {
		noClasses().that()
			.resideInAPackage(ROOT + ".s3..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.amazonaws..", ROOT + ".lambda..",
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
