package dev.skyfold.chat.fcm;

import java.util.ArrayList;
import java.util.List;

import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.TopicManagementResponse;
import dev.skyfold.chat.port.RoomSubscriptionException;
import dev.skyfold.chat.port.RoomSubscriptions;
import org.jspecify.annotations.Nullable;

/**
 * Subscribes devices to the FCM topic a room's messages are pushed to, and unsubscribes
 * them, through the Firebase Admin SDK's topic management: one call for all the tokens of
 * a request. The tokens FCM refuses (not registered, invalid) are reported dropped with
 * FCM's reason; a call that fails as a whole (FCM unreachable, failing, refusing the
 * credentials) is a {@link RoomSubscriptionException}, transient when trying again may
 * help.
 */
public class FcmRoomSubscriptions implements RoomSubscriptions {

	private final FirebaseMessaging messaging;

	/**
	 * Creates the subscriptions.
	 * @param messaging the Firebase messaging client to manage topics through
	 */
	public FcmRoomSubscriptions(FirebaseMessaging messaging) {
		this.messaging = messaging;
	}

	@Override
	public List<TokenOutcome> subscribe(String room, List<String> registrationTokens) {
		return change(true, room, registrationTokens);
	}

	@Override
	public List<TokenOutcome> unsubscribe(String room, List<String> registrationTokens) {
		return change(false, room, registrationTokens);
	}

	private List<TokenOutcome> change(boolean subscribe, String room, List<String> tokens) {
		String topic = FcmBroadcaster.topic(room);
		String what = (subscribe ? "subscribe " : "unsubscribe ") + tokens.size() + " registration token(s) "
				+ (subscribe ? "to" : "from") + " topic " + topic;
		TopicManagementResponse response;
		try {
			response = subscribe ? this.messaging.subscribeToTopic(tokens, topic)
					: this.messaging.unsubscribeFromTopic(tokens, topic);
		}
		catch (FirebaseMessagingException ex) {
			throw new RoomSubscriptionException(
					"FCM did not " + what + " (" + ex.getErrorCode() + "): " + ex.getMessage(),
					FcmBroadcaster.isTransient(ex), ex);
		}
		catch (IllegalArgumentException ex) {
			// The SDK's checks of the tokens and topic, or an answer it cannot read.
			throw new RoomSubscriptionException("Could not " + what + ": " + ex.getMessage(), false, ex);
		}
		return outcomes(tokens, response, what);
	}

	/**
	 * Reads FCM's answer token by token: an error at a token's index drops it.
	 * @param tokens the tokens sent, in order
	 * @param response FCM's answer
	 * @param what the call, for error messages
	 * @return one outcome per token, in order
	 * @throws RoomSubscriptionException when the answer does not account for every token
	 * once
	 */
	static List<TokenOutcome> outcomes(List<String> tokens, TopicManagementResponse response, String what) {
		int answered = response.getSuccessCount() + response.getFailureCount();
		if (answered != tokens.size()) {
			throw new RoomSubscriptionException(
					"FCM answered " + answered + " result(s) for " + tokens.size() + " token(s), asked to " + what,
					false);
		}
		@Nullable String[] reasons = new String[tokens.size()];
		for (TopicManagementResponse.Error error : response.getErrors()) {
			int index = error.getIndex();
			if (index < 0 || index >= tokens.size() || reasons[index] != null) {
				throw new RoomSubscriptionException(
						"FCM answered an error for no token it was sent (index " + index + "), asked to " + what,
						false);
			}
			reasons[index] = error.getReason();
		}
		List<TokenOutcome> outcomes = new ArrayList<>(tokens.size());
		for (int i = 0; i < tokens.size(); i++) {
			String reason = reasons[i];
			outcomes.add((reason != null) ? TokenOutcome.dropped(tokens.get(i), reason)
					: TokenOutcome.accepted(tokens.get(i)));
		}
		return outcomes;
	}

}
