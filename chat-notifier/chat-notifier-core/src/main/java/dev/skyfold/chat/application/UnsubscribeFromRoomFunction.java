package dev.skyfold.chat.application;

import java.util.function.Function;

import dev.skyfold.chat.domain.RoomSubscriptionRequest;
import dev.skyfold.chat.domain.RoomSubscriptionResult;

/**
 * The {@code unsubscribeFromRoom} function: unsubscribes a device, by its FCM
 * registration token, from a room's push messages, by
 * {@link RoomSubscriptionService#unsubscribe}. Only hosts with a push channel have it.
 */
public class UnsubscribeFromRoomFunction implements Function<RoomSubscriptionRequest, RoomSubscriptionResult> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "unsubscribeFromRoom";

	private final RoomSubscriptionService subscriptions;

	public UnsubscribeFromRoomFunction(RoomSubscriptionService subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public RoomSubscriptionResult apply(RoomSubscriptionRequest request) {
		return this.subscriptions.unsubscribe(request);
	}

}
