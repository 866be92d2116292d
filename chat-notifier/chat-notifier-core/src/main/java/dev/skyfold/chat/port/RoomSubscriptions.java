package dev.skyfold.chat.port;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * Subscribes devices, by their FCM registration tokens, to the push messages of a room,
 * and unsubscribes them: the topic management of the push channel that broadcasts the
 * room's messages. Only hosts with such a channel provide one; without it, nobody can
 * subscribe.
 */
public interface RoomSubscriptions {

	/**
	 * Subscribes devices to a room's push messages.
	 * @param room a checked room name
	 * @param registrationTokens checked, distinct registration tokens
	 * @return one outcome per token, in the order of the tokens
	 * @throws RoomSubscriptionException when the call as a whole failed: then no token's
	 * subscription is known to have changed
	 */
	List<TokenOutcome> subscribe(String room, List<String> registrationTokens);

	/**
	 * Unsubscribes devices from a room's push messages.
	 * @param room a checked room name
	 * @param registrationTokens checked, distinct registration tokens
	 * @return one outcome per token, in the order of the tokens
	 * @throws RoomSubscriptionException when the call as a whole failed: then no token's
	 * subscription is known to have changed
	 */
	List<TokenOutcome> unsubscribe(String room, List<String> registrationTokens);

	/**
	 * What became of one token.
	 *
	 * @param registrationToken the token
	 * @param droppedReason why the push channel refused the token, such as
	 * {@code registration-token-not-registered}; {@code null} when it took it
	 */
	record TokenOutcome(String registrationToken, @Nullable String droppedReason) {

		/**
		 * A token the push channel took.
		 * @param registrationToken the token
		 * @return the outcome
		 */
		public static TokenOutcome accepted(String registrationToken) {
			return new TokenOutcome(registrationToken, null);
		}

		/**
		 * A token the push channel refused.
		 * @param registrationToken the token
		 * @param reason why
		 * @return the outcome
		 */
		public static TokenOutcome dropped(String registrationToken, String reason) {
			return new TokenOutcome(registrationToken, reason);
		}

		/**
		 * Whether the push channel took the token.
		 * @return {@code true} unless it was dropped
		 */
		public boolean isAccepted() {
			return this.droppedReason == null;
		}

	}

}
