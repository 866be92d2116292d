package dev.skyfold.testsupport;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The house rules for a module's {@code autoconfigure} package, shared by every module's
 * {@code ArchitectureTests}: public final {@code @AutoConfiguration} classes registered
 * in {@code AutoConfiguration.imports}, and {@code @ConfigurationProperties} classes.
 */
public final class AutoConfigurationRules {

	private static final String IMPORTS = "META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports";

	private AutoConfigurationRules() {
	}

	/**
	 * Top-level classes are public final auto-configurations or property classes.
	 * @return the condition
	 */
	public static ArchCondition<JavaClass> beAutoConfigurationOrConfigurationProperties() {
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

	/**
	 * Nested classes are property groups, or conditional {@code @Configuration} classes
	 * of an auto-configuration (never registered on their own).
	 * @return the condition
	 */
	public static ArchCondition<JavaClass> beNestedPropertiesOrConfiguration() {
		return new ArchCondition<>(
				"be nested in a @ConfigurationProperties class, or be a non-public @Configuration nested in an @AutoConfiguration") {
			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				boolean inProperties = javaClass.getEnclosingClass()
					.map((enclosing) -> enclosing.isAnnotatedWith(ConfigurationProperties.class))
					.orElse(false);
				boolean configuration = javaClass.isAnnotatedWith(Configuration.class)
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

	/**
	 * Asserts that the {@code @AutoConfiguration} classes under a package are exactly
	 * those the class path's {@code AutoConfiguration.imports} files list under it.
	 * @param classes the module's classes
	 * @param rootPackage the module's root package
	 */
	public static void assertRegisteredInImports(JavaClasses classes, String rootPackage) {
		List<String> annotated = classes.stream()
			.filter((javaClass) -> javaClass.isAnnotatedWith(AutoConfiguration.class))
			.map(JavaClass::getName)
			.sorted()
			.toList();
		assertThat(annotated).as("@AutoConfiguration classes under %s", rootPackage).isNotEmpty();
		assertThat(registered(rootPackage)).as("classes under %s listed in %s", rootPackage, IMPORTS)
			.isEqualTo(annotated);
	}

	private static List<String> registered(String rootPackage) {
		List<String> registered = new ArrayList<>();
		try {
			for (URL file : Collections.list(AutoConfigurationRules.class.getClassLoader().getResources(IMPORTS))) {
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
