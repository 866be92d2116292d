package dev.skyfold.azure.functions.sample;

/**
 * A handler that the application declares as a bean.
 */
public class BeanHandler {

	private final String origin;

	public BeanHandler(String origin) {
		this.origin = origin;
	}

	public String origin() {
		return this.origin;
	}

}
