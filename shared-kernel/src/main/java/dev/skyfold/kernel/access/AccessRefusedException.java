package dev.skyfold.kernel.access;

import org.jspecify.annotations.Nullable;

/**
 * A caller may not do what it asked: it is not signed in ({@link #httpStatus()} 401) or
 * its role is too low (403). Thrown before anything changes.
 */
public final class AccessRefusedException extends RuntimeException {

	private final int httpStatus;

	private AccessRefusedException(int httpStatus, String message) {
		super(message);
		this.httpStatus = httpStatus;
	}

	/**
	 * The refusal of a caller that is not signed in, or whose token is not valid.
	 * @param why what is wrong, in words
	 * @return the exception
	 */
	public static AccessRefusedException unauthenticated(String why) {
		return new AccessRefusedException(401, why);
	}

	/**
	 * The refusal of a signed-in caller whose role is too low.
	 * @param operation what it asked for
	 * @param caller its highest role, {@code null} when it has none
	 * @return the exception
	 */
	public static AccessRefusedException forbidden(Operation operation, @Nullable Role caller) {
		return new AccessRefusedException(403,
				operation.description() + " needs the role '" + operation.requiredRole().id() + "'; "
						+ ((caller != null) ? "your highest role is '" + caller.id() + "'" : "you have no role"));
	}

	/**
	 * The HTTP status a web host answers with.
	 * @return 401 or 403
	 */
	public int httpStatus() {
		return this.httpStatus;
	}

	/**
	 * A short summary for a problem title.
	 * @return the title
	 */
	public String title() {
		return (this.httpStatus == 401) ? "Unauthorized" : "Forbidden";
	}

}
