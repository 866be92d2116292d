package dev.skyfold.imageresizer.gcp;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CloudSdk;
import dev.skyfold.testsupport.architecture.PlatformModuleRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the resizer's Google module, inherited from
 * {@link PlatformModuleRules}: the core plus Google's Cloud Storage client and the
 * Functions Framework, event mapping in {@code functions}, the store in {@code storage};
 * and entry points that leave the store to the core's function.
 */
class ArchitectureTests implements PlatformModuleRules {

	@Override
	public Layout layout() {
		return new Layout("dev.skyfold.imageresizer.gcp", CloudSdk.GOOGLE, "functions", List.of("storage"),
				ImageResizerGcpApplication.class);
	}

	@Test
	void importsTheMainClassesOnly() {
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("ImageResizerGcpApplication", "GcsBlobStore", "StorageEvents", "ResizeImageHandler",
					"ImageResizerGcpAutoConfiguration", "ImageResizerGcpProperties")
			.doesNotContain("ArchitectureTests", "GcpImageContractIntegrationTests");
	}

	@Test
	void mapsEventsWithoutTheStore() {
		noClasses().that()
			.resideInAPackage(handlerPackage() + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(rootPackage() + ".storage..")
			.check(mainClasses());
	}

}
