package dev.skyfold.chat.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import dev.skyfold.chat.domain.DroppedToken;
import dev.skyfold.chat.domain.RoomSubscription;
import dev.skyfold.chat.domain.RoomSubscriptionRequest;
import dev.skyfold.chat.domain.RoomSubscriptionResult;
import dev.skyfold.chat.port.RoomSubscriptionException;
import dev.skyfold.chat.port.RoomSubscriptions;
import dev.skyfold.chat.port.RoomSubscriptions.TokenOutcome;
import dev.skyfold.kernel.RejectedInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code subscribeToRoom} and {@code unsubscribeFromRoom} do: checks the request,
 * then has the push channel's {@link RoomSubscriptions} change the devices' subscriptions
 * to the room, and reports each token as accepted or dropped. Dropped tokens are neither
 * kept nor retried; nothing is stored.
 */
public class RoomSubscriptionService {

	private static final Logger log = LoggerFactory.getLogger(RoomSubscriptionService.class);

	private final RoomSubscriptions subscriptions;

	public RoomSubscriptionService(RoomSubscriptions subscriptions) {
		this.subscriptions = subscriptions;
	}

	/**
	 * Subscribes devices to a room's push messages.
	 * @param request the room and the devices' registration tokens
	 * @return the tokens subscribed and those dropped, with the reason
	 * @throws RejectedInputException when the request is not valid; nothing changed
	 * @throws RoomSubscriptionException when the push channel failed as a whole
	 */
	public RoomSubscriptionResult subscribe(RoomSubscriptionRequest request) {
		RoomSubscription subscription = RoomSubscription.from(request);
		return result(SubscribeToRoomFunction.NAME, subscription,
				this.subscriptions.subscribe(subscription.room(), subscription.registrationTokens()));
	}

	/**
	 * Unsubscribes devices from a room's push messages.
	 * @param request the room and the devices' registration tokens
	 * @return the tokens unsubscribed and those dropped, with the reason
	 * @throws RejectedInputException when the request is not valid; nothing changed
	 * @throws RoomSubscriptionException when the push channel failed as a whole
	 */
	public RoomSubscriptionResult unsubscribe(RoomSubscriptionRequest request) {
		RoomSubscription subscription = RoomSubscription.from(request);
		return result(UnsubscribeFromRoomFunction.NAME, subscription,
				this.subscriptions.unsubscribe(subscription.room(), subscription.registrationTokens()));
	}

	private static RoomSubscriptionResult result(String function, RoomSubscription subscription,
			List<TokenOutcome> outcomes) {
		List<String> tokens = subscription.registrationTokens();
		if (outcomes.size() != tokens.size()) {
			throw new IllegalStateException("The room subscriptions answered " + outcomes.size() + " outcomes for "
					+ tokens.size() + " registration tokens");
		}
		List<String> accepted = new ArrayList<>();
		List<DroppedToken> dropped = new ArrayList<>();
		Map<String, Integer> reasons = new TreeMap<>();
		for (int i = 0; i < tokens.size(); i++) {
			TokenOutcome outcome = outcomes.get(i);
			if (!outcome.registrationToken().equals(tokens.get(i))) {
				throw new IllegalStateException(
						"The room subscriptions answered outcome " + i + " for another registration token");
			}
			String reason = outcome.droppedReason();
			if (reason == null) {
				accepted.add(outcome.registrationToken());
			}
			else {
				dropped.add(new DroppedToken(outcome.registrationToken(), reason));
				reasons.merge(reason, 1, Integer::sum);
			}
		}
		// Counts and reasons only: a registration token addresses a device.
		log.atInfo()
			.addKeyValue("function", function)
			.addKeyValue("room", subscription.room())
			.addKeyValue("accepted", accepted.size())
			.addKeyValue("dropped", dropped.size())
			.log("{} in {}: {} token(s) accepted, {} dropped {}", function, subscription.room(), accepted.size(),
					dropped.size(), reasons);
		return new RoomSubscriptionResult(subscription.room(), accepted, dropped);
	}

}
