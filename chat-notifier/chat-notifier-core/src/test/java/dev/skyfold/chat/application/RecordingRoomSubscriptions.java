package dev.skyfold.chat.application;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.skyfold.chat.port.RoomSubscriptionException;
import dev.skyfold.chat.port.RoomSubscriptions;
import org.jspecify.annotations.Nullable;

/**
 * Room subscriptions for tests: keeps each room's subscribed tokens in memory, records
 * every call, drops the tokens a test names with their reason, and fails as a whole when
 * told to.
 */
public final class RecordingRoomSubscriptions implements RoomSubscriptions {

	private final Map<String, Set<String>> members = new ConcurrentHashMap<>();

	private final Map<String, String> dropReasons = new ConcurrentHashMap<>();

	private final List<Call> calls = new CopyOnWriteArrayList<>();

	private volatile @Nullable RoomSubscriptionException failure;

	/**
	 * Drops a token from every later call, as FCM does a token it does not know.
	 * @param token the token
	 * @param reason the reason to report
	 * @return these subscriptions
	 */
	public RecordingRoomSubscriptions dropping(String token, String reason) {
		this.dropReasons.put(token, reason);
		return this;
	}

	/**
	 * Fails every later call as a whole.
	 * @param failure what to throw
	 * @return these subscriptions
	 */
	public RecordingRoomSubscriptions failingWith(RoomSubscriptionException failure) {
		this.failure = failure;
		return this;
	}

	/**
	 * The tokens subscribed to a room.
	 * @param room the room
	 * @return its tokens
	 */
	public Set<String> members(String room) {
		return Set.copyOf(this.members.getOrDefault(room, Set.of()));
	}

	/**
	 * The calls so far.
	 * @return the calls, in order
	 */
	public List<Call> calls() {
		return List.copyOf(this.calls);
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
		this.calls.add(new Call(subscribe, room, List.copyOf(tokens)));
		RoomSubscriptionException failure = this.failure;
		if (failure != null) {
			throw failure;
		}
		Set<String> roomMembers = this.members.computeIfAbsent(room, (key) -> ConcurrentHashMap.newKeySet());
		return tokens.stream().map((token) -> {
			String reason = this.dropReasons.get(token);
			if (reason != null) {
				return TokenOutcome.dropped(token, reason);
			}
			if (subscribe) {
				roomMembers.add(token);
			}
			else {
				roomMembers.remove(token);
			}
			return TokenOutcome.accepted(token);
		}).toList();
	}

	/**
	 * A call as received.
	 *
	 * @param subscribe whether it subscribed, rather than unsubscribed
	 * @param room the room
	 * @param registrationTokens the tokens
	 */
	public record Call(boolean subscribe, String room, List<String> registrationTokens) {
	}

}
