package dev.skyfold.chat.application;

import java.util.function.Function;

import dev.skyfold.chat.domain.RoomSubscriptionRequest;
import dev.skyfold.chat.domain.RoomSubscriptionResult;

/**
 * The {@code subscribeToRoom} function: subscribes a device, by its FCM registration
 * token, to a room's push messages, by {@link RoomSubscriptionService#subscribe}. Only
 * hosts with a push channel have it.
 */
public class SubscribeToRoomFunction implements Function<RoomSubscriptionRequest, RoomSubscriptionResult> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "subscribeToRoom";

	private final RoomSubscriptionService subscriptions;

	public SubscribeToRoomFunction(RoomSubscriptionService subscriptions) {
		this.subscriptions = subscriptions;
	}

	@Override
	public RoomSubscriptionResult apply(RoomSubscriptionRequest request) {
		return this.subscriptions.subscribe(request);
	}

}
