package dev.skyfold.testsupport;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * DESIGN.md's dependency rule for a feature's core module, shared by every core's
 * {@code ArchitectureTests}: no cloud SDK, no other feature, adapters reached only
 * through auto-configuration.
 */
public final class CoreModuleRules {

	private CoreModuleRules() {
	}

	/**
	 * No class uses an AWS, Azure or Google Cloud/Firebase SDK.
	 * @return the rule
	 */
	public static ArchRule dependsOnNoCloudSdk() {
		return noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.azure..", "com.microsoft.azure..",
					"com.google.firebase..", "com.google.cloud..", "com.google.api..", "com.google.auth..");
	}

	/**
	 * No class uses Skyfold code outside its own feature and the shared kernel.
	 * @param rootPackage the feature's root package
	 * @return the rule
	 */
	public static ArchRule dependsOnNoOtherFeature(String rootPackage) {
		return noClasses().should()
			.dependOnClassesThat(
					DescribedPredicate.describe("are Skyfold classes outside " + rootPackage + " and the kernel",
							(JavaClass target) -> target.getPackageName().startsWith("dev.skyfold.")
									&& !target.getPackageName().startsWith(rootPackage)
									&& !target.getPackageName().startsWith("dev.skyfold.kernel")));
	}

	/**
	 * Adapters are used by auto-configuration only.
	 * @return the rule
	 */
	public static ArchRule onlyAutoConfigurationUsesAdapters() {
		return noClasses().that()
			.resideOutsideOfPackages("..adapter..", "..autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..adapter..");
	}

	/**
	 * Adapters of different technologies do not use each other.
	 * @param rootPackage the feature's root package
	 * @return the rule
	 */
	public static ArchRule adaptersDoNotUseEachOther(String rootPackage) {
		return slices().matching(rootPackage + ".adapter.(*)..").should().notDependOnEachOther();
	}

}
