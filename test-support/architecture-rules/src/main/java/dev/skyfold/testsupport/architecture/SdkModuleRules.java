package dev.skyfold.testsupport.architecture;

import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * DESIGN.md's dependency rule for a module that brings one SDK to a feature's core
 * ({@code chat-notifier-fcm} and every platform module), inherited by its
 * {@code ArchitectureTests}: its core and that SDK, no other cloud's SDK, no other
 * feature, none of the core's adapters.
 */
public interface SdkModuleRules extends ModuleArchitecture {

	/**
	 * The one SDK the module may use.
	 * @return the SDK
	 */
	CloudSdk sdk();

	/**
	 * The root package of the feature's core.
	 * @return the parent of {@link #rootPackage()}, such as {@code dev.skyfold.chat}
	 */
	@Override
	default String featurePackage() {
		return rootPackage().substring(0, rootPackage().lastIndexOf('.'));
	}

	/** No class uses the SDK of another cloud. */
	@Test
	default void dependsOnNoOtherCloudSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage(CloudSdk.packagesOfAllBut(sdk()))
			.check(mainClasses());
	}

	/** The core's adapters stay the core's: a module brings its own. */
	@Test
	default void dependsOnNoAdapterOfTheCore() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAPackage(featurePackage() + ".adapter..")
			.check(mainClasses());
	}

	/**
	 * Outside its {@code autoconfigure} package the module uses, of Skyfold, only itself,
	 * the kernel and the core's domain, ports and what the core gives hosts to read their
	 * platform's input ({@code http}, {@code event}): the core's functions and other
	 * modules (such as {@code chat-notifier-fcm}) come in through auto-configuration.
	 */
	@Test
	default void usesOnlyTheCoresDomainPortsAndInputMappingOutsideAutoConfiguration() {
		String feature = featurePackage();
		noClasses().that()
			.resideOutsideOfPackage(rootPackage() + ".autoconfigure..")
			.should()
			.dependOnClassesThat(resideInAPackage("dev.skyfold..")
				.and(not(resideInAnyPackage(rootPackage() + "..", "dev.skyfold.kernel..", feature + ".domain..",
						feature + ".port..", feature + ".http..", feature + ".event.."))))
			.check(mainClasses());
	}

}
