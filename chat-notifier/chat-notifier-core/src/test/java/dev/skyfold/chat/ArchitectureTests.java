package dev.skyfold.chat;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CoreModuleRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the chat core, inherited from
 * {@link CoreModuleRules} (no cloud SDK, no other feature, Spring-free domain, adapters
 * reached only through the auto-configuration), plus ports that are interfaces and an
 * HTTP mapping that no web host shapes.
 */
class ArchitectureTests implements CoreModuleRules {

	@Override
	public String rootPackage() {
		return "dev.skyfold.chat";
	}

	@Test
	void importsTheMainClasses() {
		String root = rootPackage();
		assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct()).contains(root + ".domain",
				root + ".port", root + ".application", root + ".adapter.inmemory", root + ".adapter.jdbc",
				root + ".autoconfigure", root + ".http");
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("PostMessageFunction", "JdbcMessageStore", "SubscribeToRoomFunction", "RoomSubscriptions")
			.doesNotContain("ArchitectureTests", "MessageStoreContract", "RecordingBroadcaster",
					"RecordingRoomSubscriptions");
	}

	@Test
	void httpDependsOnlyOnTheJdkJacksonSlf4jTheKernelAndTheDomain() {
		classes().that()
			.resideInAPackage(rootPackage() + ".http..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "org.jspecify..", "org.slf4j..", "tools.jackson..", "dev.skyfold.kernel..",
					rootPackage() + ".domain..", rootPackage() + ".http..")
			.check(mainClasses());
	}

	@Test
	void portsAreInterfacesOrTheirExceptions() {
		classes().that()
			.resideInAPackage("..port..")
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("package-info")
			.should()
			.beInterfaces()
			.orShould()
			.beAssignableTo(RuntimeException.class)
			.check(mainClasses());
	}

	@Test
	void dependsOnNoWebHost() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "org.springframework.http..",
					"dev.skyfold.local..")
			.check(mainClasses());
	}

}
