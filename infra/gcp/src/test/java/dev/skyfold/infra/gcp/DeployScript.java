package dev.skyfold.infra.gcp;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The gcloud commands of {@code infra/gcp/deploy.sh}, read as the shell would split them:
 * continued lines joined, each command's words unquoted, {@code --flag=value} options by
 * name (an option may repeat). Variables stay as written ({@code $PROJECT}).
 */
record DeployScript(List<Command> commands) {

	static DeployScript read() {
		Path script = Path.of(System.getProperty("skyfold.gcp.deploy-script", "deploy.sh"));
		try {
			return parse(Files.readString(script));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	static DeployScript parse(String text) {
		List<Command> commands = new ArrayList<>();
		StringBuilder line = new StringBuilder();
		for (String raw : text.split("\n")) {
			String stripped = raw.strip();
			if (stripped.startsWith("#")) {
				continue;
			}
			if (stripped.endsWith("\\")) {
				line.append(stripped, 0, stripped.length() - 1).append(' ');
				continue;
			}
			line.append(stripped);
			String joined = line.toString().strip();
			line.setLength(0);
			int gcloud = joined.indexOf("gcloud ");
			if (gcloud >= 0) {
				commands.add(Command.of(words(joined.substring(gcloud))));
			}
		}
		return new DeployScript(commands);
	}

	/**
	 * The commands that begin with these words, such as {@code gcloud functions deploy}.
	 */
	List<Command> all(String... words) {
		return this.commands.stream().filter((command) -> command.startsWith(words)).toList();
	}

	Optional<Command> deploy(String function) {
		return all("gcloud", "functions", "deploy", function).stream().findFirst();
	}

	private static List<String> words(String command) {
		List<String> words = new ArrayList<>();
		StringBuilder word = new StringBuilder();
		char quote = 0;
		for (char c : command.toCharArray()) {
			if (quote != 0) {
				if (c == quote) {
					quote = 0;
				}
				else {
					word.append(c);
				}
			}
			else if (c == '\'' || c == '"') {
				quote = c;
			}
			else if (c == ' ' || c == '\t' || c == '|' || c == ';') {
				if (!word.isEmpty()) {
					words.add(word.toString());
					word.setLength(0);
				}
				if (c == '|' || c == ';') {
					break;
				}
			}
			else {
				word.append(c);
			}
		}
		if (!word.isEmpty()) {
			words.add(word.toString());
		}
		return words;
	}

	/**
	 * One gcloud command.
	 *
	 * @param words the words before the first option
	 * @param options the options by name (without {@code --}), each with its values in
	 * order
	 */
	record Command(List<String> words, Map<String, List<String>> options) {

		static Command of(List<String> all) {
			List<String> words = new ArrayList<>();
			Map<String, List<String>> options = new LinkedHashMap<>();
			for (String word : all) {
				if (word.startsWith("--")) {
					int equals = word.indexOf('=');
					String name = (equals > 0) ? word.substring(2, equals) : word.substring(2);
					String value = (equals > 0) ? word.substring(equals + 1) : "";
					options.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
				}
				else if (options.isEmpty()) {
					words.add(word);
				}
			}
			return new Command(List.copyOf(words), options);
		}

		boolean startsWith(String... prefix) {
			return this.words.size() >= prefix.length && this.words.subList(0, prefix.length).equals(List.of(prefix));
		}

		String option(String name) {
			List<String> values = this.options.getOrDefault(name, List.of());
			if (values.size() != 1) {
				throw new AssertionError("Expected one --" + name + " in " + this + ", not " + values);
			}
			return values.get(0);
		}

		List<String> options(String name) {
			return this.options.getOrDefault(name, List.of());
		}

		boolean has(String name) {
			return this.options.containsKey(name);
		}

		/** The {@code --set-env-vars} of a deploy, by name. */
		Map<String, String> environment() {
			Map<String, String> variables = new LinkedHashMap<>();
			for (String pair : option("set-env-vars").split(",")) {
				int equals = pair.indexOf('=');
				variables.put(pair.substring(0, equals), pair.substring(equals + 1));
			}
			return variables;
		}

	}

}
