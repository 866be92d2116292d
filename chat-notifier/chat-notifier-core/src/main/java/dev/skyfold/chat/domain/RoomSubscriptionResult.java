package dev.skyfold.chat.domain;

import java.util.List;

/**
 * What subscribing devices to a room's push messages, or unsubscribing them, achieved,
 * token by token: each token of the request is either accepted or dropped.
 *
 * @param room the room
 * @param accepted the tokens FCM took: now subscribed to the room
 * ({@code subscribeToRoom}) or no longer subscribed to it ({@code unsubscribeFromRoom})
 * @param dropped the tokens FCM refused, with its reason
 */
public record RoomSubscriptionResult(String room, List<String> accepted, List<DroppedToken> dropped) {

	public RoomSubscriptionResult {
		accepted = List.copyOf(accepted);
		dropped = List.copyOf(dropped);
	}

}
