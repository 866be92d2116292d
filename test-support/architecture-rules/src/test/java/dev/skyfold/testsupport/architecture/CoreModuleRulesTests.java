package dev.skyfold.testsupport.architecture;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import dev.skyfold.fixture.badcore.adapter.jdbc.JdbcMessageStore;
import dev.skyfold.fixture.badcore.adapter.memory.MemoryMessageStore;
import dev.skyfold.fixture.badcore.application.ConfiguredFunction;
import dev.skyfold.fixture.badcore.application.MessageService;
import dev.skyfold.fixture.badcore.application.LambdaFunction;
import dev.skyfold.fixture.badcore.application.ScannedFunction;
import dev.skyfold.fixture.badcore.autoconfigure.BadCoreAutoConfiguration;
import dev.skyfold.fixture.badcore.domain.JsonMessage;
import dev.skyfold.fixture.badcore.domain.MutableMessage;
import dev.skyfold.fixture.badcore.domain.OpenEvent;
import dev.skyfold.fixture.badcore.domain.OpenMessage;
import dev.skyfold.fixture.badcore.domain.SetterMessage;
import dev.skyfold.fixture.badcore.domain.SpringMessage;
import dev.skyfold.fixture.badcore.domain.StoredMessage;
import dev.skyfold.fixture.badcore.port.MessageStores;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.ThrowingConsumer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link CoreModuleRules} fail on {@code dev.skyfold.fixture.badcore}, a core that breaks
 * them on purpose, naming the offending classes, and pass on
 * {@code dev.skyfold.fixture.cleancore}.
 */
class CoreModuleRulesTests {

	private static final String BAD_CORE = "dev.skyfold.fixture.badcore";

	private static final String CLEAN_CORE = "dev.skyfold.fixture.cleancore";

	private static final JavaClasses BAD = new ClassFileImporter().importPackages(BAD_CORE);

	private static final JavaClasses CLEAN = new ClassFileImporter().importPackages(CLEAN_CORE);

	@Test
	void domainDependsOnNoSpringClassFailsOnADomainRecordThatUsesSpring() {
		assertViolation(CoreModuleRules::domainDependsOnNoSpringClass, SpringMessage.class)
			.withMessageNotContaining("<" + JsonMessage.class.getName());
	}

	@Test
	void domainDependsOnlyOnTheJdkTheKernelAndJspecifyFailsOnADomainThatUsesSpringJacksonOrAPort() {
		assertViolation(CoreModuleRules::domainDependsOnlyOnTheJdkTheKernelAndJspecify, SpringMessage.class,
				JsonMessage.class, StoredMessage.class)
			.withMessageNotContaining("<" + MutableMessage.class.getName());
	}

	@Test
	void domainIsImmutableFailsOnANonFinalField() {
		assertViolation(CoreModuleRules::domainIsImmutable, MutableMessage.class)
			.withMessageContaining(MutableMessage.class.getName() + ".text");
	}

	@Test
	void domainIsImmutableFailsOnAMethodNamedLikeASetter() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(
				() -> core(BAD_CORE, new ClassFileImporter().importClasses(SetterMessage.class)).domainIsImmutable())
			.withMessageContaining(SetterMessage.class.getName() + ".setText");
	}

	@Test
	void domainIsImmutableFailsOnANonFinalClass() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(
					() -> core(BAD_CORE, new ClassFileImporter().importClasses(OpenMessage.class)).domainIsImmutable())
			.withMessageContaining(OpenMessage.class.getName());
	}

	@Test
	void domainIsImmutableFailsOnAnInterfaceThatIsNotSealed() {
		assertThatExceptionOfType(AssertionError.class)
			.isThrownBy(
					() -> core(BAD_CORE, new ClassFileImporter().importClasses(OpenEvent.class)).domainIsImmutable())
			.withMessageContaining(OpenEvent.class.getName() + " is neither a final class nor a sealed interface");
	}

	@Test
	void applicationServicesAreNoFunctionsFailsOnAServiceThatIsAFunction() {
		assertViolation(CoreModuleRules::applicationServicesAreNoFunctions, MessageService.class)
			.withMessageNotContaining(ScannedFunction.class.getName());
	}

	@Test
	void domainDependsOnNoPortFailsOnADomainRecordThatUsesAPort() {
		assertViolation(CoreModuleRules::domainDependsOnNoPort, StoredMessage.class)
			.withMessageNotContaining("<" + SpringMessage.class.getName());
	}

	@Test
	void portsAndDomainDependOnNoAdapterApplicationOrAutoConfigurationFailsOnAPortThatHandsOutAnAdapter() {
		assertViolation(CoreModuleRules::portsAndDomainDependOnNoAdapterApplicationOrAutoConfiguration,
				MessageStores.class)
			.withMessageNotContaining("<" + StoredMessage.class.getName());
	}

	@Test
	void applicationDependsOnNoAutoConfigurationFailsOnAFunctionThatReadsTheProperties() {
		assertViolation(CoreModuleRules::applicationDependsOnNoAutoConfiguration, ConfiguredFunction.class)
			.withMessageNotContaining("<" + ScannedFunction.class.getName());
	}

	@Test
	void dependsOnNoCloudSdkFailsOnAFunctionThatUsesTheLambdaRuntime() {
		assertViolation(CoreModuleRules::dependsOnNoCloudSdk, LambdaFunction.class)
			.withMessageNotContaining("<" + ConfiguredFunction.class.getName());
	}

	@Test
	void onlyAutoConfigurationUsesAdaptersFailsOnAPortThatUsesAnAdapter() {
		assertViolation(CoreModuleRules::onlyAutoConfigurationUsesAdapters, MessageStores.class)
			.withMessageNotContaining("<" + BadCoreAutoConfiguration.class.getName());
	}

	@Test
	void adaptersDoNotUseEachOtherFailsOnAnAdapterThatUsesAnother() {
		assertViolation(CoreModuleRules::adaptersDoNotUseEachOther, MemoryMessageStore.class, JdbcMessageStore.class);
	}

	@Test
	void nothingIsAComponentToScanFailsOnAScannedFunctionButNotOnTheAutoConfiguration() {
		assertViolation(CoreModuleRules::nothingIsAComponentToScan, ScannedFunction.class)
			.withMessageNotContaining("<" + BadCoreAutoConfiguration.class.getName());
	}

	private static ThrowableAssertAlternative<AssertionError> assertViolation(ThrowingConsumer<CoreModuleRules> rule,
			Class<?>... offenders) {
		CoreModuleRules rules = core(BAD_CORE, BAD);
		return assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> rule.accept(rules))
			.withMessageContainingAll(names(offenders));
	}

	static String[] names(Class<?>... classes) {
		String[] names = new String[classes.length];
		for (int i = 0; i < classes.length; i++) {
			names[i] = classes[i].getName();
		}
		return names;
	}

	private static CoreModuleRules core(String rootPackage, JavaClasses classes) {
		return new CoreModuleRules() {

			@Override
			public String rootPackage() {
				return rootPackage;
			}

			@Override
			public JavaClasses mainClasses() {
				return classes;
			}

		};
	}

	/**
	 * The clean core keeps to every inherited rule, so the failures above come from the
	 * bad core's violations, not from the fixtures' setup.
	 */
	@Nested
	class CleanCore implements CoreModuleRules {

		@Override
		public String rootPackage() {
			return CLEAN_CORE;
		}

		@Override
		public JavaClasses mainClasses() {
			return CLEAN;
		}

		@Test
		void importsEveryPackageOfTheCleanCore() {
			assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct()).contains(
					CLEAN_CORE + ".domain", CLEAN_CORE + ".port", CLEAN_CORE + ".application",
					CLEAN_CORE + ".adapter.memory", CLEAN_CORE + ".autoconfigure");
		}

	}

}
