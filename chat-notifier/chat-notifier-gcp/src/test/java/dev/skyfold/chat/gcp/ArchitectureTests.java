package dev.skyfold.chat.gcp;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CloudSdk;
import dev.skyfold.testsupport.architecture.PlatformModuleRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the chat's Google module, inherited from
 * {@link PlatformModuleRules}: the chat core plus Google's Firestore client and the
 * Functions Framework, HTTP and event mapping in {@code functions}, the store in
 * {@code firestore}; and handlers that leave the store to the core's functions.
 */
class ArchitectureTests implements PlatformModuleRules {

	@Override
	public Layout layout() {
		return new Layout("dev.skyfold.chat.gcp", CloudSdk.GOOGLE, "functions", List.of("firestore"),
				ChatGcpApplication.class);
	}

	@Test
	void importsTheMainClassesOnly() {
		String root = rootPackage();
		assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct()).contains(root,
				root + ".autoconfigure", root + ".firestore", root + ".functions");
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("FirestoreMessageStore", "PostMessageHandler", "MessageHistoryHandler", "BroadcastMessageHandler",
					"ChatGcpAutoConfiguration", "ChatGcpApplication")
			.doesNotContain("ArchitectureTests", "GcpChatContractIntegrationTests");
	}

	@Test
	void mapsRequestsWithoutTheFirestoreStore() {
		noClasses().that()
			.resideInAPackage(handlerPackage() + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(rootPackage() + ".firestore..")
			.check(mainClasses());
	}

}
