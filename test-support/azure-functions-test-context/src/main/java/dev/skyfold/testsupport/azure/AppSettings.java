package dev.skyfold.testsupport.azure;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A Function App's settings as a test sets them, as system properties that the injector's
 * application reads in place of the worker's environment; {@link #restore()} puts every
 * property it touched back as it was, so that no setting leaks into another test class.
 */
public final class AppSettings {

	private final Map<String, @Nullable String> previous = new LinkedHashMap<>();

	/**
	 * Sets a setting.
	 * @param name the setting's name
	 * @param value its value
	 * @return these settings
	 */
	public AppSettings set(String name, String value) {
		remember(name);
		System.setProperty(name, value);
		return this;
	}

	/**
	 * Remembers a property that something else sets (the injector sets the logging
	 * system), so that {@link #restore()} puts it back too.
	 * @param name the property's name
	 * @return these settings
	 */
	public AppSettings remember(String name) {
		this.previous.putIfAbsent(name, System.getProperty(name));
		return this;
	}

	/**
	 * Puts every property set or remembered back as it was before.
	 */
	public void restore() {
		this.previous.forEach((name, value) -> {
			if (value != null) {
				System.setProperty(name, value);
			}
			else {
				System.clearProperty(name);
			}
		});
		this.previous.clear();
	}

}
