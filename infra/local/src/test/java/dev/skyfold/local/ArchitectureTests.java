package dev.skyfold.local;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import dev.skyfold.chat.adapter.jdbc.JdbcMessageStore;
import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.testsupport.architecture.CloudSdk;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local host's dependency rule: it runs the functions through their ports, function
 * beans and auto-configuration, and knows nothing of any cloud or of the cores' adapters.
 */
class ArchitectureTests {

	private static final JavaClasses HOST = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.skyfold.local");

	private static final ArchRule NO_CLOUD_SDK = noClasses().that()
		.resideInAPackage("dev.skyfold.local..")
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(CloudSdk.packagesOf(CloudSdk.AWS, CloudSdk.AZURE))
		.because("the local platform runs without any cloud; AWS and Azure live in their platform modules");

	private static final ArchRule NO_ADAPTERS = noClasses().that()
		.resideInAPackage("dev.skyfold.local..")
		.should()
		.dependOnClassesThat()
		.resideInAPackage("dev.skyfold..adapter..")
		.because("a host gets a core's adapters through auto-configuration and uses them through ports only");

	@Test
	void importsTheHostClasses() {
		assertThat(HOST.containPackage("dev.skyfold.local.web")).isTrue();
		assertThat(HOST.containPackage("dev.skyfold.local.bucket")).isTrue();
		assertThat(HOST.containPackage("dev.skyfold.local.chat")).isTrue();
		assertThat(HOST.contain(SkyfoldLocalApplication.class)).isTrue();
		assertThat(HOST.contain(ArchitectureTests.class)).as("test classes are not the host").isFalse();
	}

	@Test
	void dependsOnNoAwsOrAzureSdk() {
		NO_CLOUD_SDK.check(HOST);
	}

	@Test
	void reachesTheCoresOnlyThroughPortsFunctionsAndAutoConfiguration() {
		NO_ADAPTERS.check(HOST);
	}

	@ParameterizedTest
	@ValueSource(classes = { HostClassThatUsesAnAdapter.class, HostClassThatUsesAChatAdapter.class })
	void adapterRuleCatchesHostClassThatUsesAnAdapterOfEitherCore(Class<?> offenderClass) {
		JavaClasses offender = new ClassFileImporter().importClasses(offenderClass);

		assertThat(NO_ADAPTERS.evaluate(offender).hasViolation()).isTrue();
	}

	/** What the rule must refuse: a host class that builds an adapter itself. */
	static class HostClassThatUsesAnAdapter {

		FileSystemBlobStore store;

	}

	/** What the rule must refuse of the chat too: a host class that picks its store. */
	static class HostClassThatUsesAChatAdapter {

		JdbcMessageStore store;

	}

}
