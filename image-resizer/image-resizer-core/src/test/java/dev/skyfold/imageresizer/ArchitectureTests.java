package dev.skyfold.imageresizer;

import com.tngtech.archunit.core.domain.JavaClass;
import dev.skyfold.testsupport.architecture.CoreModuleRules;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The dependency rules of DESIGN.md for the image-resizer core, inherited from
 * {@link CoreModuleRules}: no cloud SDK, no other feature, Spring-free domain, adapters
 * reached only through the auto-configuration.
 */
class ArchitectureTests implements CoreModuleRules {

	@Override
	public String rootPackage() {
		return "dev.skyfold.imageresizer";
	}

	@Test
	void importsTheMainClasses() {
		String root = rootPackage();
		assertThat(mainClasses().stream().map(JavaClass::getPackageName).distinct()).contains(root + ".domain",
				root + ".port", root + ".application", root + ".adapter.imageio", root + ".adapter.filesystem",
				root + ".autoconfigure");
		assertThat(mainClasses().stream().map(JavaClass::getSimpleName)).doesNotContain("ArchitectureTests",
				"ThumbnailBenchmark");
	}

}
