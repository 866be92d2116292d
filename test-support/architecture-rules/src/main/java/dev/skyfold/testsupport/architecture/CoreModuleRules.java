package dev.skyfold.testsupport.architecture;

import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.stereotype.Component;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * DESIGN.md's dependency rule and package roles for a feature's core module, inherited by
 * every core's {@code ArchitectureTests}: no cloud SDK, no other feature, an immutable
 * Spring-free domain, adapters reached only through auto-configuration.
 */
public interface CoreModuleRules extends AutoConfigurationRules {

	/** The domain uses no Spring class. */
	@Test
	default void domainDependsOnNoSpringClass() {
		noClasses().that()
			.resideInAPackage("..domain..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("org.springframework..")
			.check(mainClasses());
	}

	/** The domain uses the JDK, JSpecify, the shared kernel and itself, nothing else. */
	@Test
	default void domainDependsOnlyOnTheJdkTheKernelAndJspecify() {
		classes().that()
			.resideInAPackage("..domain..")
			.should()
			.onlyDependOnClassesThat()
			.resideInAnyPackage("java..", "org.jspecify..", "dev.skyfold.kernel..", rootPackage() + ".domain..")
			.check(mainClasses());
	}

	/**
	 * A domain type is a final class, or a sealed interface: a closed set of records,
	 * such as the kinds of one event.
	 */
	ArchCondition<JavaClass> BE_FINAL_OR_SEALED = new ArchCondition<>("be final classes or sealed interfaces") {

		@Override
		public void check(JavaClass type, ConditionEvents events) {
			boolean closed = type.isInterface() ? type.reflect().isSealed()
					: type.getModifiers().contains(JavaModifier.FINAL);
			if (!closed) {
				events.add(SimpleConditionEvent.violated(type,
						type.getName() + " is neither a final class nor a sealed interface"));
			}
		}

	};

	/**
	 * Domain classes are final, with final fields and no setters; domain interfaces are
	 * sealed.
	 */
	@Test
	default void domainIsImmutable() {
		fields().that()
			.areDeclaredInClassesThat()
			.resideInAPackage("..domain..")
			.should()
			.beFinal()
			.check(mainClasses());
		noMethods().that()
			.areDeclaredInClassesThat()
			.resideInAPackage("..domain..")
			.should()
			.haveNameMatching("set[A-Z].*")
			.check(mainClasses());
		classes().that()
			.resideInAPackage("..domain..")
			.and()
			.doNotHaveSimpleName("package-info")
			.should(BE_FINAL_OR_SEALED)
			.check(mainClasses());
	}

	/** The domain does not know the ports that carry it. */
	@Test
	default void domainDependsOnNoPort() {
		noClasses().that()
			.resideInAPackage("..domain..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..port..")
			.check(mainClasses());
	}

	/** Ports and domain know no adapter, function or auto-configuration. */
	@Test
	default void portsAndDomainDependOnNoAdapterApplicationOrAutoConfiguration() {
		noClasses().that()
			.resideInAnyPackage("..port..", "..domain..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage("..adapter..", "..autoconfigure..", "..application..")
			.check(mainClasses());
	}

	/**
	 * Only the functions ({@code *Function}) are functions: the services behind them are
	 * not, since Spring Cloud Function would serve any {@code Function}, {@code Supplier}
	 * or {@code Consumer} bean under its bean name.
	 */
	@Test
	default void applicationServicesAreNoFunctions() {
		noClasses().that()
			.resideInAPackage("..application..")
			.and()
			.haveSimpleNameNotEndingWith("Function")
			.should()
			.beAssignableTo(Function.class)
			.orShould()
			.beAssignableTo(Supplier.class)
			.orShould()
			.beAssignableTo(Consumer.class)
			.check(mainClasses());
	}

	/** The functions do not know the auto-configuration that creates them. */
	@Test
	default void applicationDependsOnNoAutoConfiguration() {
		noClasses().that()
			.resideInAPackage("..application..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..autoconfigure..")
			.check(mainClasses());
	}

	/** No class uses an AWS, Azure or Google SDK. */
	@Test
	default void dependsOnNoCloudSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage(CloudSdk.packagesOf(CloudSdk.values()))
			.check(mainClasses());
	}

	/** Adapters are used by auto-configuration only. */
	@Test
	default void onlyAutoConfigurationUsesAdapters() {
		noClasses().that()
			.resideOutsideOfPackages("..adapter..", "..autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..adapter..")
			.check(mainClasses());
	}

	/** Adapters of different technologies do not use each other. */
	@Test
	default void adaptersDoNotUseEachOther() {
		slices().matching(rootPackage() + ".adapter.(*)..").should().notDependOnEachOther().check(mainClasses());
	}

	/**
	 * Beans come from auto-configuration, so no class outside it is a component to scan.
	 */
	@Test
	default void nothingIsAComponentToScan() {
		noClasses().that()
			.resideOutsideOfPackage("..autoconfigure..")
			.should()
			.beMetaAnnotatedWith(Component.class)
			.check(mainClasses());
	}

}
