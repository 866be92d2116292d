package dev.skyfold.chat.azure;

import java.util.List;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CloudSdk;
import dev.skyfold.testsupport.architecture.PlatformModuleRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the chat's Azure module, inherited from
 * {@link PlatformModuleRules}: the chat core plus the Azure libraries, HTTP mapping in
 * {@code functions}, the store in {@code table}; and handlers that leave the store to the
 * core's functions.
 */
class ArchitectureTests implements PlatformModuleRules {

	@Override
	public Layout layout() {
		return new Layout("dev.skyfold.chat.azure", CloudSdk.AZURE, "functions", List.of("table"),
				ChatNotifierAzureApplication.class);
	}

	@Override
	public Set<String> autoConfigurationHelpers() {
		return Set.of("InMemoryStoreWarning");
	}

	@Test
	void importsTheMainClassesOnly() {
		String root = rootPackage();
		assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct()).contains(root,
				root + ".autoconfigure", root + ".table", root + ".functions");
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("AzureTableMessageStore", "PostMessageHandler", "MessageHistoryHandler",
					"ChatAzureAutoConfiguration", "ChatNotifierAzureApplication")
			.doesNotContain("ArchitectureTests", "TestHttpRequest");
	}

	@Test
	void mapsRequestsWithoutTheTableStore() {
		noClasses().that()
			.resideInAPackage(handlerPackage() + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(rootPackage() + ".table..")
			.check(mainClasses());
	}

}
