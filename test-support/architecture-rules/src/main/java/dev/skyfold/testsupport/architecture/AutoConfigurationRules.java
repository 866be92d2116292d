package dev.skyfold.testsupport.architecture;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Configuration;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house rules for a module's {@code autoconfigure} package, inherited by the
 * {@code ArchitectureTests} that implement it: public final {@code @AutoConfiguration}
 * classes registered in {@code AutoConfiguration.imports}, and
 * {@code @ConfigurationProperties} classes, used by nothing else in the module.
 */
public interface AutoConfigurationRules extends ModuleArchitecture {

	/**
	 * Non-public classes nested in an auto-configuration that are beans of it rather than
	 * configurations, by simple name: none unless the module names them.
	 * @return the simple names
	 */
	default Set<String> autoConfigurationHelpers() {
		return Set.of();
	}

	/**
	 * The {@code autoconfigure} package holds public final auto-configurations and
	 * property classes; its nested classes are property groups, or non-public conditional
	 * configurations or {@link #autoConfigurationHelpers() helpers} of an
	 * auto-configuration.
	 */
	@Test
	default void autoConfigurationsArePublicFinalAutoConfigurationOrProperties() {
		classes().that()
			.resideInAPackage("..autoconfigure..")
			.and()
			.areTopLevelClasses()
			.and()
			.doNotHaveSimpleName("package-info")
			.should(beAutoConfigurationOrConfigurationProperties())
			.check(mainClasses());
		classes().that()
			.resideInAPackage("..autoconfigure..")
			.and()
			.areNestedClasses()
			.should(beNestedPropertiesOrConfiguration(autoConfigurationHelpers()))
			.allowEmptyShould(true)
			.check(mainClasses());
	}

	/**
	 * The module's {@code @AutoConfiguration} classes are exactly those its
	 * {@code AutoConfiguration.imports} lists.
	 */
	@Test
	default void registersEveryAutoConfigurationInImports() {
		assertRegisteredInImports(mainClasses(), rootPackage());
	}

	/**
	 * No class outside the module's {@code autoconfigure} package uses a Skyfold
	 * auto-configuration or property class, the module's or its core's.
	 */
	@Test
	default void usesAutoConfigurationClassesOnlyFromTheAutoConfiguration() {
		noClasses().that()
			.resideOutsideOfPackage(rootPackage() + ".autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("dev.skyfold..autoconfigure..")
			.check(mainClasses());
	}

	/**
	 * Asserts that the {@code @AutoConfiguration} classes under a package are exactly
	 * those the class path's {@code AutoConfiguration.imports} files list under it.
	 * @param classes the module's classes
	 * @param rootPackage the module's root package
	 */
	static void assertRegisteredInImports(JavaClasses classes, String rootPackage) {
		List<String> annotated = classes.stream()
			.filter((javaClass) -> javaClass.isAnnotatedWith(AutoConfiguration.class))
			.map(JavaClass::getName)
			.sorted()
			.toList();
		assertThat(annotated).as("@AutoConfiguration classes under %s", rootPackage).isNotEmpty();
		assertThat(registered(rootPackage)).as("classes under %s listed in %s", rootPackage, importsFile())
			.isEqualTo(annotated);
	}

	private static ArchCondition<JavaClass> beAutoConfigurationOrConfigurationProperties() {
		return new ArchCondition<>("be public final @AutoConfiguration classes or @ConfigurationProperties classes") {
			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				boolean autoConfiguration = javaClass.isAnnotatedWith(AutoConfiguration.class)
						&& javaClass.getModifiers().contains(JavaModifier.PUBLIC)
						&& javaClass.getModifiers().contains(JavaModifier.FINAL);
				boolean properties = javaClass.isAnnotatedWith(ConfigurationProperties.class);
				boolean either = autoConfiguration || properties;
				events.add(new SimpleConditionEvent(javaClass, either,
						javaClass.getName() + " is " + (either ? "" : "neither ") + "a public final @AutoConfiguration "
								+ (either ? "or" : "nor") + " a @ConfigurationProperties class"));
			}
		};
	}

	private static ArchCondition<JavaClass> beNestedPropertiesOrConfiguration(Set<String> helpers) {
		return new ArchCondition<>("be nested in a @ConfigurationProperties class, or be a non-public @Configuration"
				+ " or one of the helpers " + helpers + " nested in an @AutoConfiguration") {
			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				boolean inProperties = javaClass.getEnclosingClass()
					.map((enclosing) -> enclosing.isAnnotatedWith(ConfigurationProperties.class))
					.orElse(false);
				boolean configuration = (javaClass.isAnnotatedWith(Configuration.class)
						|| helpers.contains(javaClass.getSimpleName()))
						&& !javaClass.getModifiers().contains(JavaModifier.PUBLIC)
						&& javaClass.getEnclosingClass()
							.map((enclosing) -> enclosing.isAnnotatedWith(AutoConfiguration.class))
							.orElse(false);
				boolean either = inProperties || configuration;
				events
					.add(new SimpleConditionEvent(javaClass, either, javaClass.getName() + (either ? " is" : " is not")
							+ " a property group or a nested configuration of an auto-configuration"));
			}
		};
	}

	private static String importsFile() {
		return "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";
	}

	private static List<String> registered(String rootPackage) {
		List<String> registered = new ArrayList<>();
		try {
			for (URL file : Collections
				.list(AutoConfigurationRules.class.getClassLoader().getResources(importsFile()))) {
				try (InputStream in = file.openStream()) {
					for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
						String name = line.strip();
						if (name.startsWith(rootPackage + ".")) {
							registered.add(name);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return registered.stream().sorted().toList();
	}

}
