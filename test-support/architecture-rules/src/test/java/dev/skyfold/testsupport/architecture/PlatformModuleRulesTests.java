package dev.skyfold.testsupport.architecture;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.skyfold.fixture.badplatform.aws.BadPlatformApplication;
import dev.skyfold.fixture.badplatform.aws.autoconfigure.BadPlatformAutoConfiguration;
import dev.skyfold.fixture.badplatform.aws.autoconfigure.FunctionRebuilder;
import dev.skyfold.fixture.badplatform.aws.lambda.FunctionCallingHandler;
import dev.skyfold.fixture.badplatform.aws.lambda.MappingHandler;
import dev.skyfold.fixture.badplatform.aws.lambda.SdkClientHandler;
import dev.skyfold.fixture.badplatform.aws.lambda.SpringHandler;
import dev.skyfold.fixture.badplatform.aws.s3.HandlerUploadStore;
import dev.skyfold.fixture.badplatform.aws.s3.RuntimeUploadStore;
import dev.skyfold.fixture.badplatform.aws.s3.SdkUploadStore;
import dev.skyfold.fixture.badplatform.aws.s3.SpringUploadStore;
import dev.skyfold.fixture.badplatform.aws.support.CoreAdapterClient;
import dev.skyfold.fixture.badplatform.aws.support.OtherFeatureClient;
import dev.skyfold.fixture.badplatform.aws.support.ScannedMapper;
import dev.skyfold.fixture.cleanplatform.aws.CleanPlatformApplication;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link PlatformModuleRules}, with the {@link SdkModuleRules} and
 * {@link ModuleArchitecture} rules they inherit, fail on
 * {@code dev.skyfold.fixture.badplatform.aws}, a fake {@code -aws} module that breaks
 * them on purpose, naming the offending classes, and pass on
 * {@code dev.skyfold.fixture.cleanplatform.aws}.
 */
class PlatformModuleRulesTests {

	private static final String BAD_PLATFORM = "dev.skyfold.fixture.badplatform.aws";

	private static final String CLEAN_PLATFORM = "dev.skyfold.fixture.cleanplatform.aws";

	private static final JavaClasses BAD = new ClassFileImporter().importPackages(BAD_PLATFORM);

	private static final JavaClasses CLEAN = new ClassFileImporter().importPackages(CLEAN_PLATFORM);

	@Test
	void handlersMapEventsWithoutSpringSdkClientsPortsOrFunctionsFailsOnHandlersThatDoMore() {
		assertViolation(CloudSdk.AWS, PlatformModuleRules::handlersMapEventsWithoutSpringSdkClientsPortsOrFunctions,
				SpringHandler.class, SdkClientHandler.class, FunctionCallingHandler.class)
			.withMessageNotContaining("<" + MappingHandler.class.getName());
	}

	@Test
	void adaptersUseNeitherSpringTheFunctionRuntimeNorTheHandlersFailsOnAdaptersThatDo() {
		assertViolation(CloudSdk.AWS, PlatformModuleRules::adaptersUseNeitherSpringTheFunctionRuntimeNorTheHandlers,
				SpringUploadStore.class, RuntimeUploadStore.class, HandlerUploadStore.class)
			.withMessageNotContaining("<" + SdkUploadStore.class.getName());
	}

	@Test
	void nothingButTheApplicationAndAutoConfigurationIsAComponentToScanFailsOnAnotherComponent() {
		assertViolation(CloudSdk.AWS,
				PlatformModuleRules::nothingButTheApplicationAndAutoConfigurationIsAComponentToScan,
				ScannedMapper.class)
			.withMessageNotContaining("<" + BadPlatformApplication.class.getName())
			.withMessageNotContaining("<" + BadPlatformAutoConfiguration.class.getName());
	}

	@Test
	void wiresNoneOfTheCoresFunctionsFailsOnAClassThatBuildsOne() {
		assertViolation(CloudSdk.AWS, PlatformModuleRules::wiresNoneOfTheCoresFunctions, FunctionRebuilder.class)
			.withMessageNotContaining("<" + CoreAdapterClient.class.getName());
	}

	@Test
	void dependsOnNoAdapterOfTheCoreFailsOnAClassThatUsesTheCoresAdapter() {
		assertViolation(CloudSdk.AWS, PlatformModuleRules::dependsOnNoAdapterOfTheCore, CoreAdapterClient.class)
			.withMessageNotContaining("<" + FunctionCallingHandler.class.getName());
	}

	@Test
	void usesOnlyTheCoresDomainPortsAndInputMappingOutsideAutoConfigurationFailsOnFunctionsAdaptersAndOtherFeatures() {
		assertViolation(CloudSdk.AWS,
				PlatformModuleRules::usesOnlyTheCoresDomainPortsAndInputMappingOutsideAutoConfiguration,
				FunctionCallingHandler.class, CoreAdapterClient.class, OtherFeatureClient.class)
			.withMessageNotContaining("<" + MappingHandler.class.getName());
	}

	@Test
	void dependsOnNoOtherCloudSdkFailsWhenAnAzureModuleUsesTheAwsLibraries() {
		assertViolation(CloudSdk.AZURE, PlatformModuleRules::dependsOnNoOtherCloudSdk, MappingHandler.class,
				SdkClientHandler.class, SdkUploadStore.class, RuntimeUploadStore.class)
			.withMessageNotContaining("<" + ScannedMapper.class.getName());
	}

	@Test
	void dependsOnNoOtherCloudSdkAllowsTheModulesOwnSdk() {
		PlatformModuleRules rules = platform(CloudSdk.AWS);
		rules.dependsOnNoOtherCloudSdk();
	}

	@Test
	void dependsOnNoOtherFeatureFailsOnAClassThatUsesAnotherFeatureButNotOnOneThatUsesItsCore() {
		assertViolation(CloudSdk.AWS, PlatformModuleRules::dependsOnNoOtherFeature, OtherFeatureClient.class)
			.withMessageNotContaining("<" + FunctionCallingHandler.class.getName())
			.withMessageNotContaining("<" + CoreAdapterClient.class.getName());
	}

	private static ThrowableAssertAlternative<AssertionError> assertViolation(CloudSdk sdk,
			ThrowingConsumer<PlatformModuleRules> rule, Class<?>... offenders) {
		PlatformModuleRules rules = platform(sdk);
		return assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> rule.accept(rules))
			.withMessageContainingAll(CoreModuleRulesTests.names(offenders));
	}

	private static PlatformModuleRules platform(CloudSdk sdk) {
		return new PlatformModuleRules() {

			@Override
			public Layout layout() {
				return new Layout(BAD_PLATFORM, sdk, "lambda", List.of("s3"), BadPlatformApplication.class);
			}

			@Override
			public JavaClasses mainClasses() {
				return BAD;
			}

		};
	}

	/**
	 * The clean platform module keeps to every inherited rule, so the failures above come
	 * from the bad module's violations, not from the fixtures' setup.
	 */
	@Nested
	class CleanPlatform implements PlatformModuleRules {

		@Override
		public Layout layout() {
			return new Layout(CLEAN_PLATFORM, CloudSdk.AWS, "lambda", List.of("s3"), CleanPlatformApplication.class);
		}

		@Override
		public JavaClasses mainClasses() {
			return CLEAN;
		}

		@Test
		void importsEveryPackageOfTheCleanPlatformModule() {
			assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct()).contains(CLEAN_PLATFORM,
					CLEAN_PLATFORM + ".lambda", CLEAN_PLATFORM + ".s3", CLEAN_PLATFORM + ".autoconfigure");
		}

	}

}
