package dev.skyfold.chat.domain;

import java.util.Arrays;
import java.util.Optional;

import dev.skyfold.kernel.access.Operation;
import dev.skyfold.kernel.access.Role;
import org.jspecify.annotations.Nullable;

/**
 * What a caller may ask of the chat, with the role each needs: the one access rule every
 * host applies.
 */
public enum ChatOperation implements Operation {

	/** Reading a room's history: the {@code messageHistory} function. */
	READ_HISTORY(Role.VIEWER, "Reading a room's history", "messageHistory"),

	/** Following a room's new messages live. */
	OPEN_STREAM(Role.VIEWER, "Following a room live", null),

	/**
	 * Subscribing a device, by its FCM registration token, to a room's push messages:
	 * {@code subscribeToRoom}.
	 */
	SUBSCRIBE_TO_ROOM(Role.VIEWER, "Subscribing to a room", "subscribeToRoom"),

	/**
	 * Unsubscribing a device from a room's push messages: {@code unsubscribeFromRoom}.
	 */
	UNSUBSCRIBE_FROM_ROOM(Role.VIEWER, "Unsubscribing from a room", "unsubscribeFromRoom"),

	/** Posting a message, which is stored and then broadcast: {@code postMessage}. */
	POST_MESSAGE(Role.MEMBER, "Posting a message", "postMessage"),

	/**
	 * Invoking {@code broadcastMessage} directly, which the message store's events
	 * otherwise trigger: it pushes a message that was never stored to every client.
	 */
	BROADCAST_MESSAGE(Role.ADMIN, "Invoking broadcastMessage directly", "broadcastMessage");

	private final Role requiredRole;

	private final String description;

	private final @Nullable String function;

	ChatOperation(Role requiredRole, String description, @Nullable String function) {
		this.requiredRole = requiredRole;
		this.description = description;
		this.function = function;
	}

	@Override
	public Role requiredRole() {
		return this.requiredRole;
	}

	@Override
	public String description() {
		return this.description;
	}

	/**
	 * The operation of invoking a function by its name.
	 * @param function a function's name, such as {@code postMessage}
	 * @return the operation, empty for a name that is not one of the chat's functions
	 */
	public static Optional<ChatOperation> ofFunction(String function) {
		return Arrays.stream(values()).filter((operation) -> function.equals(operation.function)).findFirst();
	}

}
