package dev.skyfold.kernel.access;

import org.jspecify.annotations.Nullable;

/**
 * Something a caller may ask a host to do, and the least role it needs. Each feature
 * lists its operations once; every host checks them the same way.
 */
public interface Operation {

	/**
	 * The least role a caller needs for this operation.
	 * @return the role
	 */
	Role requiredRole();

	/**
	 * What the operation does, for messages, such as {@code "Posting a message"}.
	 * @return the description, capitalised
	 */
	String description();

	/**
	 * Refuses a caller whose role is too low for this operation.
	 * @param caller the caller's highest role; {@code null} when it has none
	 * @throws AccessRefusedException when the caller may not
	 */
	default void check(@Nullable Role caller) {
		if (caller == null || !caller.includes(requiredRole())) {
			throw AccessRefusedException.forbidden(this, caller);
		}
	}

}
