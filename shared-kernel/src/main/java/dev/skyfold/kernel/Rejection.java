package dev.skyfold.kernel;

/**
 * Why a function refused its input. Every host maps it to its native client error: the
 * HTTP status here for web hosts, a logged and non-retried failure for storage triggers.
 */
public enum Rejection {

	/** Malformed, corrupt or otherwise invalid input. */
	INVALID(400, "Invalid input"),

	/** Input over a configured size limit. */
	TOO_LARGE(413, "Input too large"),

	/** Input in a format the function does not handle. */
	UNSUPPORTED(415, "Unsupported input format");

	private final int httpStatus;

	private final String title;

	Rejection(int httpStatus, String title) {
		this.httpStatus = httpStatus;
		this.title = title;
	}

	/**
	 * The HTTP status a web host answers with.
	 * @return a 4xx status code
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * A short, human-readable summary of the rejection, fit for a problem title.
	 * @return the title
	 */
	public String title() {
		return this.title;
	}

}
