package dev.skyfold.chat.port;

import org.jspecify.annotations.Nullable;

/**
 * A broadcast that failed. Transient failures (rate limits, server errors, timeouts) are
 * retried with backoff; permanent ones (a malformed request) are not. A broadcaster that
 * refuses calls for a while ({@link #unavailable}) is transient, but not retried at once.
 */
public class BroadcastException extends RuntimeException {

	private final boolean transientFailure;

	private final boolean retryNow;

	public BroadcastException(String message, boolean transientFailure, Throwable cause) {
		this(message, transientFailure, transientFailure, cause);
	}

	public BroadcastException(String message, boolean transientFailure) {
		super(message);
		this.transientFailure = transientFailure;
		this.retryNow = transientFailure;
	}

	private BroadcastException(String message, boolean transientFailure, boolean retryNow, @Nullable Throwable cause) {
		super(message, cause);
		this.transientFailure = transientFailure;
		this.retryNow = retryNow;
	}

	/**
	 * A broadcaster that refuses calls for a while, such as one whose circuit breaker is
	 * open: the failure is transient, so a platform may deliver the message again later,
	 * but trying again at once would be refused too.
	 * @param message what is unavailable
	 * @param cause why
	 * @return the failure
	 */
	public static BroadcastException unavailable(String message, @Nullable Throwable cause) {
		return new BroadcastException(message, true, false, cause);
	}

	/**
	 * Whether trying again at once, with backoff, may succeed.
	 * @return {@code true} for transient failures, but those of a broadcaster that is
	 * refusing calls for a while
	 */
	public boolean retryNow() {
		return this.retryNow;
	}

	/**
	 * Whether trying again later may succeed.
	 * @return {@code true} for transient failures
	 */
	public boolean isTransient() {
		return this.transientFailure;
	}

}
