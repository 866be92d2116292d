package dev.skyfold.chat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchCondition;
import com.tngtech.archunit.lang.ConditionEvents;
import com.tngtech.archunit.lang.SimpleConditionEvent;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.context.annotation.Configuration;
import org.springframework.stereotype.Component;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.fields;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noMethods;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
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
				ROOT + ".adapter.jdbc", ROOT + ".autoconfigure");
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
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.azure..", "com.microsoft.azure..",
					"com.google.firebase..", "com.google.cloud..", "com.google.api..", "com.google.auth..")
			.check(classes);
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
		noClasses().should().dependOnClassesThat().resideInAnyPackage("dev.skyfold.imageresizer..").check(classes);
		noClasses().should()
			.dependOnClassesThat(DescribedPredicate.describe("are Skyfold classes outside the chat and the kernel",
					(JavaClass target) -> target.getPackageName().startsWith("dev.skyfold.")
							&& !target.getPackageName().startsWith(ROOT)
							&& !target.getPackageName().startsWith("dev.skyfold.kernel")))
			.check(classes);
	}

	@Test
	void onlyAutoConfigurationUsesAdapters() {
		noClasses().that()
			.resideOutsideOfPackages("..adapter..", "..autoconfigure..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage("..adapter..")
			.check(classes);
	}

	@Test
	void adaptersDoNotUseEachOther() {
		slices().matching(ROOT + ".adapter.(*)..").should().notDependOnEachOther().check(classes);
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
			.should(beAutoConfigurationOrConfigurationProperties())
			.check(classes);
		classes().that()
			.resideInAPackage("..autoconfigure..")
			.and()
			.areNestedClasses()
			.should(beNestedPropertiesOrConfiguration())
			.allowEmptyShould(true)
			.check(classes);
	}

	@Test
	void registersEveryAutoConfigurationInImports() throws IOException {
		List<String> annotated = classes.stream()
			.filter((javaClass) -> javaClass.isAnnotatedWith(AutoConfiguration.class))
			.map(JavaClass::getName)
			.sorted()
			.toList();
		assertThat(annotated).isNotEmpty();
		try (InputStream in = ArchitectureTests.class
			.getResourceAsStream("/META-INF/spring/org.springframework.boot.autoconfigure.AutoConfiguration.imports")) {
			assertThat(in).isNotNull();
			List<String> registered = Arrays.stream(new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n"))
				.map(String::trim)
				.filter((line) -> !line.isEmpty() && !line.startsWith("#"))
				.sorted()
				.toList();
			assertThat(registered).isEqualTo(annotated);
		}
	}

	private static ArchCondition<JavaClass> beAutoConfigurationOrConfigurationProperties() {
		return new ArchCondition<>("be public final @AutoConfiguration classes or @ConfigurationProperties classes") {
			@Override
			public void check(JavaClass javaClass, ConditionEvents events) {
				boolean autoConfiguration = javaClass.isAnnotatedWith(AutoConfiguration.class)
						&& javaClass.getModifiers().contains(JavaModifier.PUBLIC)
						&& javaClass.getModifiers().contains(JavaModifier.FINAL);
				boolean properties = javaClass.isAnnotatedWith(ConfigurationProperties.class);
				events.add(new SimpleConditionEvent(javaClass, autoConfiguration || properties,
						javaClass.getName() + " is " + (autoConfiguration || properties ? "" : "neither ")
								+ "a public final @AutoConfiguration "
								+ (autoConfiguration || properties ? "or" : "nor")
								+ " a @ConfigurationProperties class"));
			}
		};
	}

	/**
	 * Nested classes are property groups, or conditional {@code @Configuration} classes
	 * of an auto-configuration (never registered on their own).
	 */
	private static ArchCondition<JavaClass> beNestedPropertiesOrConfiguration() {
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
				events.add(new SimpleConditionEvent(javaClass, inProperties || configuration,
						javaClass.getName() + ((inProperties || configuration) ? " is" : " is not")
								+ " a property group or a nested configuration of an auto-configuration"));
			}
		};
	}

}
