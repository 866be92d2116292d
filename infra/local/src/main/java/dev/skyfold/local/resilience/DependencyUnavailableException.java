package dev.skyfold.local.resilience;

/**
 * A dependency whose circuit breaker is open: the call was refused at once, nothing was
 * done, and the same call may succeed shortly. Answered 503 with {@code Retry-After}.
 */
public class DependencyUnavailableException extends RuntimeException {

	private final String dependency;

	DependencyUnavailableException(String dependency, Throwable cause) {
		super(dependency + " is unavailable: calls to it are refused for a moment while it recovers", cause);
		this.dependency = dependency;
	}

	/**
	 * The dependency, by its circuit breaker's name.
	 * @return the name, such as {@value DependencyBreakers#STORE}
	 */
	public String dependency() {
		return this.dependency;
	}

}
