package dev.skyfold.testsupport.architecture;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;

/**
 * The main classes under a package, imported once: JUnit makes a test instance per test
 * method, and importing is the slow part of an architecture test.
 */
final class MainClasses {

	private static final Map<String, JavaClasses> IMPORTED = new ConcurrentHashMap<>();

	private MainClasses() {
	}

	static JavaClasses under(String rootPackage) {
		return IMPORTED.computeIfAbsent(rootPackage,
				(root) -> new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
					.importPackages(root));
	}

}
