package dev.skyfold.imageresizer.aws;

import java.util.List;
import java.util.Set;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CloudSdk;
import dev.skyfold.testsupport.architecture.PlatformModuleRules;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the resizer's AWS module, inherited from
 * {@link PlatformModuleRules}: the core plus the AWS SDK, event mapping in
 * {@code lambda}, the S3 store in {@code s3}; and the S3 event parsed without the Lambda
 * libraries.
 */
class ArchitectureTests implements PlatformModuleRules {

	@Override
	public Layout layout() {
		return new Layout("dev.skyfold.imageresizer.aws", CloudSdk.AWS, "lambda", List.of("s3"),
				ImageResizerLambdaApplication.class);
	}

	@Override
	public Set<String> autoConfigurationHelpers() {
		// Priming before a SnapStart snapshot: resizeImage on samples, S3 stood in for.
		return Set.of("ResizeImagePriming", "StandInS3", "StandInCall");
	}

	@Test
	void importsTheMainClassesOnly() {
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName))
			.contains("ImageResizerLambdaApplication", "S3BlobStore", "S3Clients", "ObjectEvents",
					"ResizeImageEventFunction", "ImageResizerAwsAutoConfiguration", "ImageResizerAwsProperties")
			.doesNotContain("ArchitectureTests", "Samples");
	}

	@Test
	void mapsEventsWithoutTheLambdaLibraries() {
		noClasses().that()
			.resideInAPackage(handlerPackage() + "..")
			.should()
			.dependOnClassesThat()
			.resideInAnyPackage(CloudSdk.AWS.functionRuntimePackages())
			.check(mainClasses());
	}

}
