package dev.skyfold.chat.domain;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * A subscription request that passed the rules: a room and the distinct FCM registration
 * tokens to subscribe to it, or unsubscribe from it, in the order they were sent.
 *
 * @param room the room: 1 to 64 lower-case letters, digits and dashes
 * @param registrationTokens 1 to {@value #MAX_TOKENS} distinct tokens, each 1 to
 * {@value #MAX_TOKEN_LENGTH} visible ASCII characters
 */
public record RoomSubscription(String room, List<String> registrationTokens) {

	/**
	 * The most tokens one request takes (FCM's topic management takes up to 1000 a call).
	 */
	public static final int MAX_TOKENS = 100;

	/**
	 * The longest token, in characters: FCM's are about 150 to 250.
	 */
	public static final int MAX_TOKEN_LENGTH = 4096;

	public RoomSubscription {
		registrationTokens = List.copyOf(registrationTokens);
	}

	/**
	 * Checks a request against the rules. Blanks around a token are dropped, and a token
	 * sent twice counts once.
	 * @param request the request as sent
	 * @return the subscription to make or end
	 * @throws RejectedInputException when a rule is broken: too many tokens or an
	 * over-long token is {@link Rejection#TOO_LARGE}, everything else
	 * {@link Rejection#INVALID}
	 */
	public static RoomSubscription from(RoomSubscriptionRequest request) {
		String room = Rooms.check(request.room());
		List<@Nullable String> sent = sentTokens(request);
		if (sent.size() > MAX_TOKENS) {
			throw new RejectedInputException(Rejection.TOO_LARGE, "The request names " + sent.size()
					+ " registration tokens; at most " + MAX_TOKENS + " are allowed");
		}
		Set<String> tokens = new LinkedHashSet<>();
		for (int i = 0; i < sent.size(); i++) {
			tokens.add(checkToken(sent.get(i),
					(request.registrationTokens() != null) ? "registrationTokens[" + i + "]" : "registrationToken"));
		}
		return new RoomSubscription(room, new ArrayList<>(tokens));
	}

	private static List<@Nullable String> sentTokens(RoomSubscriptionRequest request) {
		List<@Nullable String> list = request.registrationTokens();
		String single = request.registrationToken();
		if (list != null && single != null) {
			throw invalid("Send either 'registrationToken' or 'registrationTokens', not both");
		}
		if (list != null) {
			if (list.isEmpty()) {
				throw invalid("'registrationTokens' must name at least one registration token");
			}
			return list;
		}
		if (single == null) {
			throw invalid("A registration token is needed: send 'registrationToken' (or 'registrationTokens')");
		}
		List<@Nullable String> one = new ArrayList<>(1);
		one.add(single);
		return one;
	}

	private static String checkToken(@Nullable String value, String field) {
		String token = (value != null) ? value.strip() : "";
		if (token.isEmpty()) {
			throw invalid("'" + field + "' must not be blank");
		}
		if (token.length() > MAX_TOKEN_LENGTH) {
			throw new RejectedInputException(Rejection.TOO_LARGE, "'" + field + "' is " + token.length()
					+ " characters; a registration token has at most " + MAX_TOKEN_LENGTH);
		}
		if (!token.chars().allMatch((c) -> c > 0x20 && c < 0x7f)) {
			throw invalid("'" + field + "' must be visible ASCII characters only, as FCM registration tokens are");
		}
		return token;
	}

	private static RejectedInputException invalid(String message) {
		return new RejectedInputException(Rejection.INVALID, message);
	}

}
