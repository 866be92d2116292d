package dev.skyfold.kernel;

import org.jspecify.annotations.Nullable;

/**
 * Raised by a function whose input is bad. Nothing has been written when it is thrown, so
 * hosts report it as a client error and never retry it.
 */
public class RejectedInputException extends RuntimeException {

	private static final int MAX_CAUSE_DEPTH = 64;

	private final Rejection rejection;

	public RejectedInputException(Rejection rejection, String message) {
		super(message);
		this.rejection = rejection;
	}

	public RejectedInputException(Rejection rejection, String message, Throwable cause) {
		super(message, cause);
		this.rejection = rejection;
	}

	/**
	 * The kind of rejection.
	 * @return the rejection
	 */
	public Rejection rejection() {
		return this.rejection;
	}

	/**
	 * Finds the rejection behind a failure, however deeply a host wrapped it.
	 * @param failure what a host caught
	 * @return the rejection, or {@code null} when the failure is not one
	 */
	public static @Nullable RejectedInputException findIn(Throwable failure) {
		Throwable cause = failure;
		// Bounded, since a chain of causes may loop.
		for (int depth = 0; cause != null && depth < MAX_CAUSE_DEPTH; depth++, cause = cause.getCause()) {
			if (cause instanceof RejectedInputException rejected) {
				return rejected;
			}
		}
		return null;
	}

}
