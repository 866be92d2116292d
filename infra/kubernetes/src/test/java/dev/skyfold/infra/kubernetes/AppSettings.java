package dev.skyfold.infra.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import dev.skyfold.testsupport.loopback.DocumentedSettings;
import org.yaml.snakeyaml.Yaml;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The local app's own settings, read from its compiled classes
 * ({@code infra/local/target/classes}, which the build names): its
 * {@code application.yaml} and profiles, and the properties it and the libraries it runs
 * with document.
 */
final class AppSettings {

	private final Path classes;

	private final ClassLoader classLoader;

	private AppSettings(Path classes) {
		this.classes = classes;
		try {
			this.classLoader = new URLClassLoader(new URL[] { classes.toUri().toURL() },
					AppSettings.class.getClassLoader());
		}
		catch (MalformedURLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The settings of the app the build compiled.
	 * @return the settings
	 */
	static AppSettings read() {
		Path classes = Path.of(System.getProperty("skyfold.local.classes", "../local/target/classes"));
		if (!Files.isRegularFile(classes.resolve("application.yaml"))) {
			throw new IllegalStateException("No compiled local app in " + classes
					+ ": build it first (./mvnw verify -pl infra/kubernetes -am)");
		}
		return new AppSettings(classes);
	}

	/**
	 * The settings of {@code application.yaml}, or of a profile's file, as dotted keys.
	 * @param profile the profile, or {@code null} for the defaults
	 * @return the keys and their values as text
	 */
	Map<String, String> yaml(String profile) {
		Path file = this.classes.resolve((profile != null) ? "application-" + profile + ".yaml" : "application.yaml");
		Map<String, String> flat = new LinkedHashMap<>();
		try (InputStream in = Files.newInputStream(file)) {
			for (Object document : new Yaml().loadAll(in)) {
				flatten("", document, flat);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return flat;
	}

	/**
	 * Whether a profile has a file of its own in the app.
	 * @param profile the profile
	 * @return whether {@code application-<profile>.yaml} exists
	 */
	boolean hasProfile(String profile) {
		return Files.isRegularFile(this.classes.resolve("application-" + profile + ".yaml"));
	}

	/**
	 * The environment variables that bind the {@code skyfold.*} properties the app and
	 * its features document.
	 * @return the variable names
	 */
	Set<String> skyfoldVariables() {
		return DocumentedSettings.environmentVariables(this.classLoader);
	}

	/**
	 * The environment variables that bind any property documented on the app's classpath:
	 * Spring Boot's own as well as the app's.
	 * @return the variable names
	 */
	Set<String> documentedVariables() {
		Set<String> variables = new TreeSet<>();
		JsonMapper json = JsonMapper.builder().build();
		try {
			for (URL metadata : Collections
				.list(this.classLoader.getResources("META-INF/spring-configuration-metadata.json"))) {
				try (InputStream in = metadata.openStream()) {
					for (JsonNode property : json.readTree(in).path("properties")) {
						String upper = property.path("name").asString().toUpperCase(Locale.ROOT).replace('.', '_');
						variables.add(upper.replace("-", ""));
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return variables;
	}

	@SuppressWarnings("unchecked")
	private static void flatten(String prefix, Object value, Map<String, String> flat) {
		if (value instanceof Map<?, ?> map) {
			for (Map.Entry<?, ?> entry : ((Map<Object, Object>) map).entrySet()) {
				flatten(prefix.isEmpty() ? String.valueOf(entry.getKey()) : prefix + "." + entry.getKey(),
						entry.getValue(), flat);
			}
		}
		else if (value != null) {
			flat.put(prefix, String.valueOf(value));
		}
	}

}
