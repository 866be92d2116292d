package dev.skyfold.infra.azure;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.skyfold.testsupport.loopback.RequiredTools;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Bicep files as {@code src/test/node/bicep-model.mjs} reads them with the tree-sitter
 * Bicep grammar: the syntax errors, undeclared and unused names it found, and each file's
 * declarations. Literal values are JSON; any other expression is an object
 * {@code {"$expr": "<source>"}}.
 * <p>
 * The check needs Node.js and the npm packages {@code web-tree-sitter} and
 * {@code tree-sitter-bicep} pinned in the repository's {@code package.json}.
 */
final class Bicep {

	/** The folder of the deployment's Bicep files. */
	static final Path FOLDER = Path.of(System.getProperty("skyfold.bicep.folder", "."));

	private static final Path SCRIPT = Path
		.of(System.getProperty("skyfold.bicep.model", FOLDER.resolve("src/test/node/bicep-model.mjs").toString()));

	private static final Duration TIMEOUT = Duration.ofMinutes(1);

	private static final Pattern IDENTIFIER = Pattern.compile("\\b[A-Za-z_][A-Za-z0-9_]*\\b");

	private static final JsonMapper json = JsonMapper.builder().build();

	private Bicep() {
	}

	/**
	 * Reads Bicep files.
	 * @param files the files
	 * @return each file's model, by file name
	 */
	static Map<String, Model> read(Path... files) {
		Path node = RequiredTools.onPath("node")
			.orElseThrow(() -> RequiredTools.unavailable("the Bicep check",
					"Node.js ('node') is not on the PATH: install it, then run 'npm ci' at the repository root"));
		for (String module : List.of("web-tree-sitter/package.json", "tree-sitter-bicep/tree-sitter-bicep.wasm")) {
			if (RequiredTools.inNodeModules(module).isEmpty()) {
				throw RequiredTools.unavailable("the Bicep check", "The Bicep check needs the npm package "
						+ module.split("/")[0] + ": run 'npm ci' at the repository root");
			}
		}
		List<String> command = new ArrayList<>(List.of(node.toString(), SCRIPT.toString()));
		for (Path file : files) {
			command.add(file.toString());
		}
		JsonNode output = json.readTree(run(command)).path("files");
		Map<String, Model> models = new LinkedHashMap<>();
		output.properties().forEach((entry) -> models.put(entry.getKey(), new Model(entry.getKey(), entry.getValue())));
		return models;
	}

	/**
	 * Reads one Bicep file.
	 * @param file the file
	 * @return its model
	 */
	static Model read(Path file) {
		return read(new Path[] { file }).values().iterator().next();
	}

	/**
	 * The expression an expression value holds.
	 * @param value a value
	 * @return its source, or {@code null} when it is a literal
	 */
	static @Nullable String expression(JsonNode value) {
		JsonNode expression = value.get("$expr");
		return (value.isObject() && expression != null) ? expression.asString() : null;
	}

	private static String run(List<String> command) {
		try {
			Path output = Files.createTempFile("bicep-model", ".json");
			Path errors = Files.createTempFile("bicep-model", ".txt");
			try {
				Process process = new ProcessBuilder(command).redirectOutput(output.toFile())
					.redirectError(errors.toFile())
					.redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
					.start();
				if (!process.waitFor(TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
					process.destroyForcibly().waitFor();
					throw new AssertionError(String.join(" ", command) + " did not finish within " + TIMEOUT);
				}
				if (process.exitValue() != 0) {
					throw new AssertionError(String.join(" ", command) + " failed (exit " + process.exitValue() + "):\n"
							+ Files.readString(errors, StandardCharsets.UTF_8));
				}
				return Files.readString(output, StandardCharsets.UTF_8);
			}
			finally {
				Files.deleteIfExists(output);
				Files.deleteIfExists(errors);
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

	/**
	 * One file's model.
	 *
	 * @param name the file name
	 * @param json what the check printed for it
	 */
	record Model(String name, JsonNode json) {

		/** Syntax errors, each with its line and column. */
		JsonNode errors() {
			return this.json.path("errors");
		}

		/** Names used but declared nowhere. */
		JsonNode undeclared() {
			return this.json.path("undeclared");
		}

		/** Parameters, variables and existing resources declared but never used. */
		JsonNode unused() {
			return this.json.path("unused");
		}

		/** The parameters, by name: type, decorators, default. */
		Map<String, JsonNode> params() {
			return map("params");
		}

		/**
		 * The resources, by symbolic name: type, apiVersion, existing, condition, loop,
		 * body.
		 */
		Map<String, JsonNode> resources() {
			return map("resources");
		}

		/** The modules, by symbolic name: path, condition, loop, body. */
		Map<String, JsonNode> modules() {
			return map("modules");
		}

		/** The outputs, by name: type, decorators, value. */
		Map<String, JsonNode> outputs() {
			return map("outputs");
		}

		JsonNode param(String name) {
			return declared("params", name);
		}

		JsonNode resource(String symbol) {
			return declared("resources", symbol);
		}

		JsonNode module(String symbol) {
			return declared("modules", symbol);
		}

		/** A resource's or module's body, such as its {@code properties}. */
		JsonNode body(String symbol) {
			JsonNode resource = this.json.path("resources").get(symbol);
			return ((resource != null) ? resource : module(symbol)).path("body");
		}

		/**
		 * A variable's value.
		 * @param name the variable
		 * @return its value
		 */
		JsonNode variable(String name) {
			return declared("vars", name).path("value");
		}

		/**
		 * Reads a value through the variables it names: a bare variable name becomes that
		 * variable's value.
		 * @param value a value
		 * @return the value it stands for
		 */
		JsonNode resolve(JsonNode value) {
			String expression = expression(value);
			if (expression != null && this.json.path("vars").has(expression)) {
				return resolve(variable(expression));
			}
			return value;
		}

		/**
		 * The variables an expression names.
		 * @param value an expression value
		 * @return the names of the variables in it, in order
		 */
		List<String> variablesIn(JsonNode value) {
			List<String> names = new ArrayList<>();
			String expression = expression(value);
			if (expression != null) {
				Matcher matcher = IDENTIFIER.matcher(expression.replaceAll("'[^']*'", ""));
				while (matcher.find()) {
					if (this.json.path("vars").has(matcher.group())) {
						names.add(matcher.group());
					}
				}
			}
			return names;
		}

		/**
		 * The resources of a type.
		 * @param type such as {@code Microsoft.Storage/storageAccounts}
		 * @return them, by symbolic name
		 */
		Map<String, JsonNode> resourcesOfType(String type) {
			Map<String, JsonNode> found = new LinkedHashMap<>();
			resources().forEach((symbol, resource) -> {
				if (resource.path("type").asString().equals(type)) {
					found.put(symbol, resource);
				}
			});
			return found;
		}

		private JsonNode declared(String kind, String name) {
			JsonNode declaration = this.json.path(kind).get(name);
			if (declaration == null) {
				throw new AssertionError(this.name + " declares no " + kind + " entry '" + name + "'");
			}
			return declaration;
		}

		private Map<String, JsonNode> map(String kind) {
			Map<String, JsonNode> entries = new LinkedHashMap<>();
			this.json.path(kind).properties().forEach((entry) -> entries.put(entry.getKey(), entry.getValue()));
			return entries;
		}

	}

}
