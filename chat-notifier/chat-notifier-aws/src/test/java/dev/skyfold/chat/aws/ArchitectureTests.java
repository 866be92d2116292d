package dev.skyfold.chat.aws;

import java.util.List;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CloudSdk;
import dev.skyfold.testsupport.architecture.PlatformModuleRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.properties.HasName.Predicates.name;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the chat's AWS module, inherited from
 * {@link PlatformModuleRules}: the chat core plus the AWS libraries, event mapping in
 * {@code lambda}, the store in {@code dynamodb}, the secret reader in
 * {@code secretsmanager}; and of the FCM module, only the credentials it takes from its
 * host, and secrets read without the store.
 */
class ArchitectureTests implements PlatformModuleRules {

	@Override
	public Layout layout() {
		return new Layout("dev.skyfold.chat.aws", CloudSdk.AWS, "lambda", List.of("dynamodb", "secretsmanager"),
				ChatNotifierLambdaApplication.class);
	}

	@Override
	public Set<String> autoConfigurationHelpers() {
		// Hands broadcastMessage the Lambda context from the message headers; primes
		// each function before a SnapStart snapshot, DynamoDB stood in for.
		return Set.of("WithLambdaContext", "ChatPriming", "StandInDynamoDb", "StandInCall");
	}

	@Test
	void importsTheMainClassesOnly() {
		String root = rootPackage();
		assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct()).contains(root,
				root + ".autoconfigure", root + ".dynamodb", root + ".lambda", root + ".secretsmanager");
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("DynamoDbMessageStore", "PostMessageEventFunction", "BroadcastMessageEventFunction",
					"ChatAwsAutoConfiguration", "ChatAwsFcmAutoConfiguration", "SecretReader",
					"ChatNotifierLambdaApplication")
			.doesNotContain("ArchitectureTests", "Events");
	}

	@Test
	void usesOnlyTheCredentialsSettingsAndAutoConfigurationOfTheFcmModule() {
		noClasses().should()
			.dependOnClassesThat(resideInAPackage("dev.skyfold.chat.fcm..")
				.and(not(name("dev.skyfold.chat.fcm.FcmCredentials").or(name("dev.skyfold.chat.fcm.FcmProperties"))
					.or(name("dev.skyfold.chat.fcm.FcmAutoConfiguration")))))
			.check(mainClasses());
	}

	@Test
	void readsSecretsWithoutTheMessageStore() {
		noClasses().that()
			.resideInAPackage(rootPackage() + ".secretsmanager..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(rootPackage() + ".dynamodb..")
			.check(mainClasses());
	}

}
