package dev.skyfold.chat.aws;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.skyfold.testsupport.AutoConfigurationRules;
import org.junit.jupiter.api.Test;

import org.springframework.stereotype.Component;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the chat's AWS module: the chat core and the AWS
 * libraries, nothing of the other clouds, Firebase, the other feature or the core's
 * adapters; of the FCM module, only the credentials it takes from its host; event mapping
 * free of Spring and of the SDK, the store and the secret reader free of Lambda.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.skyfold.chat.aws";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void importsTheMainClassesOnly() {
		assertThat(classes.stream().map(JavaClass::getPackageName).distinct()).contains(ROOT, ROOT + ".autoconfigure",
				ROOT + ".dynamodb", ROOT + ".lambda", ROOT + ".secretsmanager");
		assertThat(classes.stream().map(JavaClass::getSimpleName))
			.contains("DynamoDbMessageStore", "PostMessageEventFunction", "BroadcastMessageEventFunction",
					"ChatAwsAutoConfiguration", "ChatAwsFcmAutoConfiguration", "SecretReader",
					"ChatNotifierLambdaApplication")
			.doesNotContain("ArchitectureTests", "Events");
	}

	@Test
	void dependsOnNoAzureOrGoogleSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("com.azure..", "com.microsoft.azure..", "com.google..")
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
	void givesTheFcmModuleItsCredentialsFromAutoConfigurationOnly() {
		noClasses().should()
			.dependOnClassesThat(resideInAPackage("dev.skyfold.chat.fcm..").and(not(
					name("dev.skyfold.chat.fcm.FcmCredentials").or(name("dev.skyfold.chat.fcm.FcmAutoConfiguration")))))
			.check(classes);
		noClasses().that()
			.resideOutsideOfPackage(ROOT + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.chat.fcm..")
			.check(classes);
	}

	@Test
	void readsSecretsWithoutSpringLambdaOrFcm() {
		noClasses().that()
			.resideInAPackage(ROOT + ".secretsmanager..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.amazonaws..", "dev.skyfold.chat.fcm..",
					ROOT + ".lambda..", ROOT + ".dynamodb..")
			.check(classes);
	}

	@Test
	void dependsOnNoAdapterOfTheChatCore() {
		noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.skyfold.chat.adapter..").check(classes);
	}

	@Test
	void mapsEventsWithoutSpringOrTheAwsSdk() {
		noClasses().that()
			.resideInAPackage(ROOT + ".lambda..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "software.amazon.awssdk..")
			.check(classes);
	}

	@Test
	void storesWithoutSpringOrLambda() {
		noClasses().that()
			.resideInAPackage(ROOT + ".dynamodb..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..", "com.amazonaws..", ROOT + ".lambda..")
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
			.doNotHaveSimpleName("ChatNotifierLambdaApplication")
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
