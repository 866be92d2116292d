package dev.skyfold.chat.domain;

import java.util.regex.Pattern;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * Room names: 1 to 64 lower-case letters, digits and dashes, so that a room name is also
 * a valid FCM topic, URL segment and key.
 */
public final class Rooms {

	private static final Pattern NAME = Pattern.compile("[a-z0-9-]{1,64}");

	private Rooms() {
	}

	/**
	 * Checks a room name.
	 * @param room the name
	 * @return the name
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when it is not a room
	 * name
	 */
	public static String check(@Nullable String room) {
		if (room == null || !NAME.matcher(room).matches()) {
			throw new RejectedInputException(Rejection.INVALID,
					"The room must be 1 to 64 lower-case letters, digits and dashes, not '" + room + "'");
		}
		return room;
	}

}
