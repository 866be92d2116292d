package dev.skyfold.chat.fcm;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import dev.skyfold.testsupport.architecture.AutoConfigurationRules;
import dev.skyfold.testsupport.architecture.CloudSdk;
import dev.skyfold.testsupport.architecture.SdkModuleRules;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the FCM module, inherited from
 * {@link SdkModuleRules}: the chat core's ports and domain plus the Firebase SDK; and,
 * since its auto-configuration shares the module's one package, auto-configuration checks
 * of its own and adapters (broadcaster, room subscriptions) free of Spring.
 */
class ArchitectureTests implements SdkModuleRules {

	@Override
	public String rootPackage() {
		return "dev.skyfold.chat.fcm";
	}

	@Override
	public CloudSdk sdk() {
		return CloudSdk.GOOGLE;
	}

	@Test
	void importsTheMainClassesOnly() {
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("FcmBroadcaster", "FcmAutoConfiguration", "FcmProperties", "FcmHttpTransport", "FcmCredentials",
					"FcmRoomSubscriptions")
			.doesNotContain("ArchitectureTests", "FcmProtocolServer");
	}

	@Test
	void keepsTheBroadcasterAndTheRoomSubscriptionsFreeOfSpring() {
		noClasses().that()
			.haveSimpleName("FcmBroadcaster")
			.or()
			.haveSimpleName("FcmRoomSubscriptions")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(mainClasses());
	}

	@Test
	void makesAutoConfigurationsPublicAndFinal() {
		classes().that()
			.areAnnotatedWith(AutoConfiguration.class)
			.should()
			.bePublic()
			.andShould()
			.haveModifier(JavaModifier.FINAL)
			.check(mainClasses());
	}

	@Test
	void registersEveryAutoConfigurationInImports() {
		AutoConfigurationRules.assertRegisteredInImports(mainClasses(), rootPackage());
	}

}
