package dev.skyfold.infra.aws;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.skyfold.testsupport.loopback.RequiredTools;
import org.jspecify.annotations.Nullable;

/**
 * A CloudFormation linter installed on this machine, run as its own process on a template
 * file. Both linters work offline.
 * <ul>
 * <li>{@link #aws()}: AWS's {@code cfn-lint} (Python), which runs the real SAM transform
 * and checks the result against current CloudFormation schemas. The java-maven machine
 * image ships it (pip); elsewhere {@code pip install cfn-lint}.</li>
 * <li>{@link #npm()}: the npm package {@code cfn-lint} pinned in the repository's
 * {@code package.json}, installed by {@code npm ci}: a retired linter whose
 * specifications date from March 2019.</li>
 * </ul>
 * A missing linter fails the test when the build runs in CI ({@code CI=true}), where
 * every tool must be there, and skips it elsewhere, saying how to install it.
 */
final class Linter {

	private static final Duration TIMEOUT = Duration.ofMinutes(3);

	private final List<String> command;

	private Linter(List<String> command) {
		this.command = command;
	}

	/**
	 * AWS's cfn-lint: {@code SKYFOLD_CFN_LINT} if set, else the first on the PATH, else
	 * one in pyenv's shims or {@code ~/.local/bin}.
	 */
	static Linter aws() {
		String configured = System.getenv("SKYFOLD_CFN_LINT");
		Path executable = (configured != null && !configured.isBlank()) ? Path.of(configured)
				: RequiredTools.onPath("cfn-lint").orElse(null);
		if (executable == null) {
			executable = inUserFolders("cfn-lint");
		}
		if (executable == null || !Files.isExecutable(executable)) {
			throw unavailable("AWS's cfn-lint was not found on the PATH, in pyenv's shims or in ~/.local/bin"
					+ ((configured != null) ? " nor at SKYFOLD_CFN_LINT=" + configured : "")
					+ ": install it with 'pip install cfn-lint' (the java-maven machine image comes with it)");
		}
		Linter linter = new Linter(List.of(executable.toString()));
		Result version = linter.run(List.of("--version"));
		if (version.exitCode() != 0 || !version.output().matches("(?s)(.*\\R)?cfn-lint 1\\..*")) {
			throw unavailable(executable + " is not AWS's cfn-lint 1.x (it says '" + version.output().strip()
					+ "'): install it with 'pip install cfn-lint'");
		}
		return linter;
	}

	/** The npm cfn-lint in the nearest node_modules above the working directory. */
	static Linter npm() {
		Path executable = RequiredTools.inNodeModules(".bin/cfn-lint")
			.orElseThrow(() -> unavailable("the npm cfn-lint is not installed: run 'npm ci' at the repository root"));
		if (RequiredTools.onPath("node").isEmpty()) {
			throw unavailable(
					"Node.js ('node') is not on the PATH: install it, then run 'npm ci' at the repository root");
		}
		return new Linter(List.of(executable.toString()));
	}

	/** Runs the linter with the given arguments and waits for it. */
	Result run(List<String> arguments) {
		List<String> command = new ArrayList<>(this.command);
		command.addAll(arguments);
		try {
			Path output = Files.createTempFile("cfn-lint", ".txt");
			try {
				Process process = new ProcessBuilder(command).redirectErrorStream(true)
					.redirectOutput(output.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
					.start();
				if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly().waitFor();
					throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT
							+ "; it printed:\n" + Files.readString(output, StandardCharsets.UTF_8));
				}
				// The npm linter colours its output even when it is not a terminal.
				String text = Files.readString(output, StandardCharsets.UTF_8).replaceAll("\u001B\\[[0-9;]*m", "");
				return new Result(process.exitValue(), text);
			}
			finally {
				Files.deleteIfExists(output);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Where pip puts commands when the PATH does not name the folder. */
	private static @Nullable Path inUserFolders(String name) {
		String home = System.getProperty("user.home");
		String pyenv = System.getenv("PYENV_ROOT");
		List<Path> folders = List.of(Path.of((pyenv != null) ? pyenv : home + "/.pyenv", "shims"),
				Path.of(home, ".local", "bin"));
		for (Path folder : folders) {
			if (Files.isExecutable(folder.resolve(name))) {
				return folder.resolve(name);
			}
		}
		return null;
	}

	private static RuntimeException unavailable(String message) {
		return RequiredTools.unavailable("a template lint", message);
	}

	/** What a linter run printed (stdout and stderr) and its exit code. */
	record Result(int exitCode, String output) {
	}

}
