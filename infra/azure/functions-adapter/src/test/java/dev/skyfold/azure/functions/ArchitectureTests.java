package dev.skyfold.azure.functions;

import java.util.Set;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The adapter is infrastructure only: Spring and the worker's SPIs, no feature and no
 * other cloud, and no Azure SDK beyond the SPIs and the context they hand over.
 */
class ArchitectureTests {

	private static final Set<String> WORKER_SPIS = Set.of("com.microsoft.azure.functions.spi.inject",
			"com.microsoft.azure.functions.internal.spi.middleware", "com.microsoft.azure.functions");

	private static final JavaClasses classes = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		.importPackages("dev.skyfold.azure.functions");

	@Test
	void importsTheMainClassesOnly() {
		assertThat(classes.stream().map(JavaClass::getSimpleName))
			.contains("SpringFunctionInstanceInjector", "InvocationTelemetry")
			.doesNotContain("ArchitectureTests", "SampleApplication");
	}

	@Test
	void dependsOnNoFeature() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("dev.skyfold.imageresizer..", "dev.skyfold.chat..")
			.check(classes);
	}

	@Test
	void dependsOnNoCloudSdk() {
		noClasses().should()
			.dependOnClassesThat()
			.resideInAnyPackage("software.amazon..", "com.amazonaws..", "com.azure..", "com.google..")
			.check(classes);
	}

	@Test
	void usesOnlyTheWorkersSpisAndTheirContext() {
		noClasses().should()
			.dependOnClassesThat(DescribedPredicate.describe("Microsoft classes other than the worker's SPIs",
					(JavaClass type) -> type.getPackageName().startsWith("com.microsoft.")
							&& !WORKER_SPIS.contains(type.getPackageName())))
			.check(classes);
	}

}
