package dev.skyfold.chat.azure;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.skyfold.testsupport.AutoConfigurationRules;
import org.junit.jupiter.api.Test;

import org.springframework.stereotype.Component;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the chat's Azure module: the chat core, the FCM
 * module only through auto-configuration, the Azure libraries, nothing of AWS, the other
 * feature or the core's adapters; HTTP mapping free of Spring and of the storage SDK, the
 * store free of Spring and of the Functions library.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.skyfold.chat.azure";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void importsTheMainClassesOnly() {
		assertThat(classes.stream().map(JavaClass::getPackageName).distinct()).contains(ROOT, ROOT + ".autoconfigure",
				ROOT + ".table", ROOT + ".functions");
		assertThat(classes.stream().map(JavaClass::getSimpleName))
			.contains("AzureTableMessageStore", "PostMessageHandler", "MessageHistoryHandler",
					"ChatAzureAutoConfiguration", "ChatNotifierAzureApplication")
			.doesNotContain("ArchitectureTests", "TestHttpRequest");
	}

	@Test
	void dependsOnNoAwsOrGoogleSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.google..")
			.check(classes);
	}

	@Test
	void dependsOnNoOtherFeature() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.imageresizer..", "dev.skyfold.local..")
			.check(classes);
	}

	@Test
	void usesTheFcmModuleOnlyThroughAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.chat.fcm..")
			.check(classes);
	}

	@Test
	void dependsOnNoAdapterOfTheChatCore() {
		noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.skyfold.chat.adapter..").check(classes);
	}

	@Test
	void mapsRequestsWithoutSpringOrTheStorageSdk() {
		noClasses().that()
			.resideInAPackage(ROOT + ".functions..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.azure..", ROOT + ".table..")
			.check(classes);
	}

	@Test
	void storesWithoutSpringOrTheFunctionsLibrary() {
		noClasses().that()
			.resideInAPackage(ROOT + ".table..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.microsoft.azure.functions..", ROOT + ".functions..")
			.check(classes);
	}

	@Test
	void usesTheCoresApplicationOnlyThroughAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.chat.application..", "dev.skyfold.chat.autoconfigure..")
			.check(classes);
	}

	@Test
	void nothingButTheApplicationAndAutoConfigurationIsAComponentToScan() {
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".autoconfigure..")
			.and()
			.doNotHaveSimpleName("ChatNotifierAzureApplication")
			.should()
			.beMetaAnnotatedWith(Component.class)
			.check(classes);
	}

	@Test
	void autoConfigurationsArePublicFinalAutoConfigurationOrProperties() {
		classes().that()
			.resideInAPackage("..autoconfigure..")
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("package-info")
			.should(AutoConfigurationRules.beAutoConfigurationOrConfigurationProperties())
			.check(classes);
	}

	@Test
	void registersEveryAutoConfigurationInImports() {
		AutoConfigurationRules.assertRegisteredInImports(classes, ROOT);
	}

}
