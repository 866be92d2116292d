package dev.skyfold.testsupport.architecture;

import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.springframework.stereotype.Component;

import static com.tngtech.archunit.core.domain.JavaClass.Predicates.assignableTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * DESIGN.md's rules for a platform module ({@code <feature>-aws},
 * {@code <feature>-azure}), inherited by its {@code ArchitectureTests}: besides the rules
 * of an SDK module, handlers only map events, the cloud adapters know neither Spring nor
 * the handlers, and beans come from auto-configuration.
 */
public interface PlatformModuleRules extends SdkModuleRules, AutoConfigurationRules {

	/**
	 * The module's packages, SDK and main class, from which the rules read what they
	 * check.
	 * @return the module's layout
	 */
	Layout layout();

	@Override
	default String rootPackage() {
		return layout().rootPackage();
	}

	@Override
	default CloudSdk sdk() {
		return layout().sdk();
	}

	/**
	 * The package of the handler shims.
	 * @return the package name, such as {@code dev.skyfold.imageresizer.aws.lambda}
	 */
	default String handlerPackage() {
		return rootPackage() + "." + layout().handlers();
	}

	/**
	 * Handlers map the platform's events onto the core's domain: no Spring, no SDK
	 * client, none of the core's ports, functions or auto-configuration.
	 */
	@Test
	default void handlersMapEventsWithoutSpringSdkClientsPortsOrFunctions() {
		String feature = featurePackage();
		noClasses().that()
			.resideInAPackage(handlerPackage() + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(and(sdk().clientPackages(), "org.springframework..", feature + ".application..",
					feature + ".port..", feature + ".autoconfigure.."))
			.check(mainClasses());
	}

	/**
	 * Cloud adapters use neither Spring, the function runtime, the handlers nor the
	 * core's functions.
	 */
	@Test
	default void adaptersUseNeitherSpringTheFunctionRuntimeNorTheHandlers() {
		noClasses().that()
			.resideInAnyPackage(layout().adapters()
				.stream()
				.map((adapter) -> rootPackage() + "." + adapter + "..")
				.toArray(String[]::new))
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(and(sdk().functionRuntimePackages(), "org.springframework..", handlerPackage() + "..",
					featurePackage() + ".application.."))
			.check(mainClasses());
	}

	/**
	 * Each of the core's functions is wired once, in the core: the module neither builds
	 * nor calls one, and hands its platform's events to the services behind them. (Their
	 * {@code NAME} constants, the deployment contract, are compiled in and need no
	 * dependency.)
	 */
	@Test
	default void wiresNoneOfTheCoresFunctions() {
		noClasses().should()
			.dependOnClassesThat(resideInAPackage(featurePackage() + ".application..")
				.and(assignableTo(Function.class).or(assignableTo(Supplier.class)).or(assignableTo(Consumer.class))))
			.check(mainClasses());
	}

	/**
	 * Beans come from auto-configuration: the main class is the one component to scan.
	 */
	@Test
	default void nothingButTheApplicationAndAutoConfigurationIsAComponentToScan() {
		noClasses().that()
			.resideOutsideOfPackage(rootPackage() + ".autoconfigure..")
			.and()
			.doNotHaveFullyQualifiedName(layout().application().getName())
			.should()
			.beMetaAnnotatedWith(Component.class)
			.check(mainClasses());
	}

	private static String[] and(String[] sdkPackages, String... packages) {
		return Stream.concat(Stream.of(packages), Stream.of(sdkPackages)).toArray(String[]::new);
	}

	/**
	 * A platform module's layout: a main class, handler shims and the cloud adapters of
	 * that platform, in sub-packages of the root package.
	 *
	 * @param rootPackage the module's root package, such as
	 * {@code dev.skyfold.imageresizer.aws}
	 * @param sdk the platform's SDK
	 * @param handlers the sub-package of the handler shims, such as {@code lambda}
	 * @param adapters the sub-packages of the cloud adapters, such as {@code s3}
	 * @param application the module's main class
	 */
	record Layout(String rootPackage, CloudSdk sdk, String handlers, List<String> adapters, Class<?> application) {
	}

}
