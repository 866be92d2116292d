package dev.skyfold.testsupport.loopback;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Assumptions;
import org.slf4j.LoggerFactory;

/**
 * Finds the programs and npm packages that tests run, and gives up on a missing one the
 * same way everywhere: the test fails in CI (environment variable {@code CI} is
 * {@code true}), where every tool must be installed, and is skipped elsewhere with a
 * message naming the install step.
 */
public final class RequiredTools {

	private RequiredTools() {
	}

	/**
	 * Gives up on a tool that is not installed.
	 * @param what what cannot run, such as {@code "the Azurite tests"}
	 * @param message what is missing and the step that installs it
	 * @return never returns; declared so that callers can {@code throw} it
	 * @throws IllegalStateException in CI
	 * @throws org.opentest4j.TestAbortedException otherwise
	 */
	public static RuntimeException unavailable(String what, String message) {
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException(message);
		}
		// Surefire and Failsafe do not report a skipped test's reason: log it.
		LoggerFactory.getLogger(RequiredTools.class).warn("Skipping {}: {}", what, message);
		return Assumptions.abort(message);
	}

	/**
	 * Finds an executable program on the {@code PATH}, leaving out the
	 * {@code node_modules} folders that npm puts there when it runs a script.
	 * @param program its file name
	 * @return its path, if there is one
	 */
	public static Optional<Path> onPath(String program) {
		String path = System.getenv("PATH");
		if (path != null) {
			for (String folder : path.split(File.pathSeparator)) {
				if (!folder.isEmpty() && !folder.contains("node_modules")
						&& Files.isExecutable(Path.of(folder, program))) {
					return Optional.of(Path.of(folder, program));
				}
			}
		}
		return Optional.empty();
	}

	/**
	 * Finds a file in the nearest {@code node_modules} folder at or above the working
	 * directory, where {@code npm ci} at the repository root installs the pinned tools.
	 * @param file its path inside {@code node_modules}, such as
	 * {@code azurite/dist/src/azurite.js}
	 * @return its path, if there is one
	 */
	public static Optional<Path> inNodeModules(String file) {
		@Nullable Path folder = Path.of(System.getProperty("user.dir")).toAbsolutePath();
		while (folder != null) {
			Path candidate = folder.resolve("node_modules").resolve(file);
			if (Files.exists(candidate)) {
				return Optional.of(candidate);
			}
			folder = folder.getParent();
		}
		return Optional.empty();
	}

}
