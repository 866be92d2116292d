package dev.skyfold.testsupport.architecture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The main classes under a package, imported once: JUnit makes a test instance per test
 * method, and importing is the slow part of an architecture test. Classes that Spring AOT
 * generates at build time ({@code Type__BeanDefinitions} and the like, which the
 * {@code process-aot} goal writes beside the module's own) are not the module's code and
 * are left out.
 */
final class MainClasses {

	private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

	private static final Pattern AOT_GENERATED = Pattern.compile(".*/[^/]*__[^/]*\\.class");

	private MainClasses() {
	}

	static JavaClasses under(String rootPackage) {
		return IMPORTED.computeIfAbsent(rootPackage,
				(root) -> new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
					.withImportOption((location) -> !location.matches(AOT_GENERATED))
					.importPackages(root));
	}

}
