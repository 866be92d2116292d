package dev.skyfold.kernel.access;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * What a signed-in caller may do. Each role includes the ones before it: a member may do
 * all a viewer may, an admin all a member may.
 */
public enum Role {

	/** Reads: objects, thumbnails, listings, history, live streams. */
	VIEWER,

	/** Writes: uploads, thumbnails made on demand, posted messages. */
	MEMBER,

	/**
	 * Everything, including the functions events normally trigger and operating the app.
	 */
	ADMIN;

	/**
	 * The role's name in tokens and settings, such as {@code member}.
	 * @return the lower-case name
	 */
	public String id() {
		return name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Whether a caller with this role may do what needs another role.
	 * @param needed the role an operation needs
	 * @return whether this role is that one or above it
	 */
	public boolean includes(Role needed) {
		return compareTo(needed) >= 0;
	}

	/**
	 * The roles a caller with this role holds: this one and every one below it.
	 * @return the roles, lowest first
	 */
	public Set<Role> andBelow() {
		EnumSet<Role> roles = EnumSet.noneOf(Role.class);
		for (Role role : values()) {
			if (includes(role)) {
				roles.add(role);
			}
		}
		return roles;
	}

	/**
	 * The role a token's value names, ignoring case.
	 * @param id a role name such as {@code admin}
	 * @return the role, or empty for a name that is none of them
	 */
	public static Optional<Role> named(String id) {
		for (Role role : values()) {
			if (role.id().equalsIgnoreCase(id.strip())) {
				return Optional.of(role);
			}
		}
		return Optional.empty();
	}

}
