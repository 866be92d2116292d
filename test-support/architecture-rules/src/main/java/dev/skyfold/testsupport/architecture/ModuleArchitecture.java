package dev.skyfold.testsupport.architecture;

import com.tngtech.archunit.core.domain.JavaClasses;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * A module of one feature whose main classes an {@code ArchitectureTests} class checks:
 * the module names its root package, the rule interfaces that extend this one read its
 * classes here, and every such module keeps to its feature.
 */
public interface ModuleArchitecture {

	/**
	 * The module's root package, such as {@code dev.skyfold.imageresizer.aws}.
	 * @return the package name
	 */
	String rootPackage();

	/**
	 * The root package of the module's feature.
	 * @return the package name, the root package unless a module says otherwise
	 */
	default String featurePackage() {
		return rootPackage();
	}

	/**
	 * The module's main classes (not its tests) under the root package, imported once per
	 * test run.
	 * @return the classes
	 */
	default JavaClasses mainClasses() {
		return MainClasses.under(rootPackage());
	}

	/** No class uses Skyfold code outside its own feature and the shared kernel. */
	@Test
	default void dependsOnNoOtherFeature() {
		noClasses().should()
			.dependOnClassesThat(resideInAPackage("dev.skyfold..")
				.and(not(resideInAnyPackage(featurePackage() + "..", "dev.skyfold.kernel.."))))
			.check(mainClasses());
	}

}
