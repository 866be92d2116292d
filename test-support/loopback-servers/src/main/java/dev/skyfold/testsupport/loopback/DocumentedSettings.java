package dev.skyfold.testsupport.loopback;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URL;
import java.util.Collections;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The environment variables (Lambda environment, Azure app settings) that bind a
 * documented {@code skyfold.*} property: one in the Spring Boot configuration metadata of
 * the modules on the classpath. Deployment tests use it to catch a misspelt setting,
 * which Spring Boot would silently ignore.
 */
public final class DocumentedSettings {

	private DocumentedSettings() {
	}

	/**
	 * The environment variables that bind the documented {@code skyfold.*} properties.
	 * @param classLoader where to find the modules' configuration metadata
	 * @return the variable names
	 */
	public static Set<String> environmentVariables(ClassLoader classLoader) {
		Set<String> variables = new TreeSet<>();
		for (String property : documentedProperties(classLoader)) {
			// Spring Boot binds PROPERTY_NAME (dashes dropped) and, for compatibility,
			// PROPERTY_NAME with dashes as underscores.
			String upper = property.toUpperCase(Locale.ROOT).replace('.', '_');
			variables.add(upper.replace("-", ""));
			variables.add(upper.replace('-', '_'));
		}
		return variables;
	}

	private static Set<String> documentedProperties(ClassLoader classLoader) {
		Set<String> properties = new TreeSet<>();
		JsonMapper json = JsonMapper.builder().build();
		try {
			for (URL metadata : Collections
				.list(classLoader.getResources("META-INF/spring-configuration-metadata.json"))) {
				try (InputStream in = metadata.openStream()) {
					for (JsonNode property : json.readTree(in).path("properties")) {
						String name = property.path("name").asString();
						if (name.startsWith("skyfold.")) {
							properties.add(name);
						}
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return properties;
	}

}
