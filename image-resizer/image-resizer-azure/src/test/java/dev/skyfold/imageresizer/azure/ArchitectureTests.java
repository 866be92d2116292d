package dev.skyfold.imageresizer.azure;

import java.util.List;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CloudSdk;
import dev.skyfold.testsupport.architecture.PlatformModuleRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the resizer's Azure module, inherited from
 * {@link PlatformModuleRules}: the core plus the Azure SDK and the Functions library,
 * event mapping in {@code functions}, the blob store in {@code blob}; and handlers that
 * leave the store to the core's function.
 */
class ArchitectureTests implements PlatformModuleRules {

	@Override
	public Layout layout() {
		return new Layout("dev.skyfold.imageresizer.azure", CloudSdk.AZURE, "functions", List.of("blob"),
				ImageResizerAzureApplication.class);
	}

	@Test
	void importsTheMainClassesOnly() {
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("ImageResizerAzureApplication", "AzureBlobStore", "AzureBlobClients", "BlobEvents",
					"ResizeImageHandler", "ImageResizerAzureAutoConfiguration", "ImageResizerAzureProperties")
			.doesNotContain("ArchitectureTests", "Samples", "ResizeImageHandlerTests");
	}

	@Test
	void mapsEventsWithoutTheBlobStore() {
		noClasses().that()
			.resideInAPackage(handlerPackage() + "..")
			.should()
			.dependOnClassesThat()
			.resideInAPackage(rootPackage() + ".blob..")
			.check(mainClasses());
	}

}
