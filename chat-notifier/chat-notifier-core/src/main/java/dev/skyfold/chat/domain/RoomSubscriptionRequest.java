package dev.skyfold.chat.domain;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A device asking to be subscribed to a room's push messages, or unsubscribed from them,
 * as a client sends it, not yet checked: one FCM registration token, or a few.
 *
 * @param room the room, such as {@code general}
 * @param registrationToken the device's FCM registration token, when it sends one
 * @param registrationTokens the FCM registration tokens, when it sends several; not
 * together with {@code registrationToken}
 */
public record RoomSubscriptionRequest(@Nullable String room, @Nullable String registrationToken,
		@Nullable List<@Nullable String> registrationTokens) {

	/**
	 * A request for one device.
	 * @param room the room
	 * @param registrationToken the device's FCM registration token
	 */
	public RoomSubscriptionRequest(@Nullable String room, @Nullable String registrationToken) {
		this(room, registrationToken, null);
	}

}
