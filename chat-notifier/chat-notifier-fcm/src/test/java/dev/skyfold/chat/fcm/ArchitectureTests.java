package dev.skyfold.chat.fcm;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.skyfold.testsupport.AutoConfigurationRules;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the FCM module: the chat core's ports and domain
 * and the Firebase SDK, nothing of the other clouds, the other feature or the core's
 * adapters.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.skyfold.chat.fcm";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void importsTheMainClassesOnly() {
		assertThat(classes.stream().map(JavaClass::getSimpleName))
			.contains("FcmBroadcaster", "FcmAutoConfiguration", "FcmProperties", "FcmHttpTransport", "FcmCredentials")
			.doesNotContain("ArchitectureTests", "FcmProtocolServer");
	}

	@Test
	void dependsOnNoAwsOrAzureSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.azure..", "com.microsoft.azure..")
			.check(classes);
	}

	@Test
	void dependsOnNoImageResizer() {
		noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.skyfold.imageresizer..").check(classes);
	}

	@Test
	void dependsOnNoAdapterOfTheChatCore() {
		noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.skyfold.chat.adapter..").check(classes);
	}

	@Test
	void usesOnlyTheChatCoresPortsAndDomain() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.chat.application..", "dev.skyfold.chat.autoconfigure..")
			.check(classes);
	}

	@Test
	void keepsTheBroadcasterFreeOfSpring() {
		noClasses().that()
			.haveSimpleName("FcmBroadcaster")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(classes);
	}

	@Test
	void makesAutoConfigurationsPublicAndFinal() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(classes);
	}

	@Test
	void registersEveryAutoConfigurationInImports() {
		AutoConfigurationRules.assertRegisteredInImports(classes, ROOT);
	}

}
