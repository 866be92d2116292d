package dev.skyfold.chat.port;

/**
 * A broadcast that failed. Transient failures (rate limits, server errors, timeouts) are
 * retried with backoff; permanent ones (a malformed request) are not.
 */
public class BroadcastException extends RuntimeException {

	private final boolean transientFailure;

	public BroadcastException(String message, boolean transientFailure, Throwable cause) {
		super(message, cause);
		this.transientFailure = transientFailure;
	}

	public BroadcastException(String message, boolean transientFailure) {
		super(message);
		this.transientFailure = transientFailure;
	}

	/**
	 * Whether trying again later may succeed.
	 * @return {@code true} for transient failures
	 */
	public boolean isTransient() {
		return this.transientFailure;
	}

}
