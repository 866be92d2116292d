package dev.skyfold.chat;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.skyfold.testsupport.AutoConfigurationRules;
import dev.skyfold.testsupport.CoreModuleRules;
import org.junit.jupiter.api.Test;

import org.springframework.stereotype.Component;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the chat core: no cloud SDK, no other feature,
 * Spring-free domain, adapters reached only through the auto-configuration.
 */
class ArchitectureTests {

	private static final String ROOT = "dev.skyfold.chat";

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages(ROOT);

	@Test
	void importsTheMainClasses() {
		assertThat(classes.stream().map(JavaClass::getPackageName).distinct()).contains(ROOT + ".domain",
				ROOT + ".port", ROOT + ".application", ROOT + ".adapter.inmemory", ROOT + ".adapter.inprocess",
				ROOT + ".adapter.jdbc", ROOT + ".autoconfigure", ROOT + ".http");
		assertThat(classes.stream().map(JavaClass::getSimpleName)).contains("PostMessageFunction", "JdbcMessageStore")
			.doesNotContain("ArchitectureTests", "MessageStoreContract", "RecordingBroadcaster");
	}

	@Test
	void domainDependsOnNoSpringClass() {
		noClasses().that()
			.resideInAPackage("..domain..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(classes);
	}

	@Test
	void domainDependsOnlyOnTheJdkTheKernelAndJspecify() {
		classes().that()
			.resideInAPackage("..domain..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "org.jspecify..", "dev.skyfold.kernel..", ROOT + ".domain..")
			.check(classes);
	}

	@Test
	void httpDependsOnlyOnTheJdkJacksonSlf4jAndTheKernel() {
		classes().that()
			.resideInAPackage(ROOT + ".http..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "org.jspecify..", "org.slf4j..", "tools.jackson..", "dev.skyfold.kernel..",
					ROOT + ".http..")
			.check(classes);
	}

	@Test
	void domainIsImmutable() {
		fields().that().areDeclaredInClassesThat().resideInAPackage("..domain..").should().beFinal().check(classes);
		noMethods().that()
			.areDeclaredInClassesThat()
			.resideInAPackage("..domain..")
			.should()
			.haveNameMatching("set[A-Z].*")
			.check(classes);
		classes().that()
			.resideInAPackage("..domain..")
			.and()
			.doNotHaveSimpleName("package-info")
			.should()
			.haveModifier(JavaModifier.FINAL)
			.check(classes);
	}

	@Test
	void dependsOnNoCloudSdk() {
		CoreModuleRules.dependsOnNoCloudSdk().check(classes);
	}

	@Test
	void dependsOnNoWebHost() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("jakarta.servlet..", "org.springframework.web..", "org.springframework.http..",
					"dev.skyfold.local..")
			.check(classes);
	}

	@Test
	void dependsOnNoOtherFeature() {
		CoreModuleRules.dependsOnNoOtherFeature(ROOT).check(classes);
	}

	@Test
	void onlyAutoConfigurationUsesAdapters() {
		CoreModuleRules.onlyAutoConfigurationUsesAdapters().check(classes);
	}

	@Test
	void adaptersDoNotUseEachOther() {
		CoreModuleRules.adaptersDoNotUseEachOther(ROOT).check(classes);
	}

	@Test
	void portsAndDomainDependOnNoAdapterApplicationOrAutoConfiguration() {
		noClasses().that()
			.resideInAnyPackage("..port..", "..domain..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..adapter..", "..autoconfigure..", "..application..")
			.check(classes);
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
			.check(classes);
	}

	@Test
	void applicationDependsOnNoAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("..application..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..autoconfigure..")
			.check(classes);
	}

	@Test
	void domainDependsOnNoPort() {
		noClasses().that()
			.resideInAPackage("..domain..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..port..")
			.check(classes);
	}

	@Test
	void nothingIsAComponentToScan() {
		noClasses().that()
			.resideOutsideOfPackage("..autoconfigure..")
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
		classes().that()
			.resideInAPackage("..autoconfigure..")
			.and()
			.areNestedClasses()
			.should(AutoConfigurationRules.beNestedPropertiesOrConfiguration())
			.allowEmptyShould(true)
			.check(classes);
	}

	@Test
	void registersEveryAutoConfigurationInImports() {
		AutoConfigurationRules.assertRegisteredInImports(classes, ROOT);
	}

}
