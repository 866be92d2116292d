package dev.skyfold.azure.functions.sample;

import java.util.function.Function;

/**
 * A handler that is not a bean: the injector creates it with the function bean.
 */
public class UpperCaseHandler {

	private final Function<String, String> upperCase;

	public UpperCaseHandler(Function<String, String> upperCase) {
		this.upperCase = upperCase;
	}

	public String handle(String text) {
		return this.upperCase.apply(text);
	}

}
