package dev.skyfold.kernel;

/**
 * Raised by a function whose input is bad. Nothing has been written when it is thrown, so
 * hosts report it as a client error and never retry it.
 */
public class RejectedInputException extends RuntimeException {

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
	public static @org.jspecify.annotations.Nullable RejectedInputException findIn(Throwable failure) {
		for (Throwable t = failure; t != null; t = t.getCause()) {
			if (t instanceof RejectedInputException rejected) {
				return rejected;
			}
			if (t.getCause() == t) {
				break;
			}
		}
		return null;
	}

}
