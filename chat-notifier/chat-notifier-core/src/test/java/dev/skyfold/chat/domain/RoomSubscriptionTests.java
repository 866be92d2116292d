package dev.skyfold.chat.domain;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The rules a subscription request must pass before any token reaches FCM: a room name,
 * and one to 100 registration tokens of at most 4096 visible ASCII characters.
 */
class RoomSubscriptionTests {

	/** Shaped like an FCM registration token: 163 characters. */
	private static final String TOKEN = "dXJhbmRvbS1kZXZpY2U:APA91bH" + "x".repeat(136);

	@Test
	void acceptsOneRegistrationToken() {
		assertThat(RoomSubscription.from(new RoomSubscriptionRequest("general", TOKEN)))
			.isEqualTo(new RoomSubscription("general", List.of(TOKEN)));
	}

	@Test
	void acceptsAListOfRegistrationTokensInTheirOrder() {
		assertThat(RoomSubscription.from(new RoomSubscriptionRequest("general", null, List.of("b-2", "a-1", "c-3"))))
			.isEqualTo(new RoomSubscription("general", List.of("b-2", "a-1", "c-3")));
	}

	@Test
	void countsATokenSentTwiceOnce() {
		assertThat(RoomSubscription.from(new RoomSubscriptionRequest("general", null, List.of("a-1", "b-2", "a-1")))
			.registrationTokens()).containsExactly("a-1", "b-2");
	}

	@Test
	void dropsTheBlanksAroundAToken() {
		assertThat(
				RoomSubscription.from(new RoomSubscriptionRequest("general", "  " + TOKEN + "\n")).registrationTokens())
			.containsExactly(TOKEN);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "General", "room_1", "room 1", "/topics/general", "general/../admin",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
	void rejectsRoomsOutsideThePattern(@Nullable String room) {
		assertRejected(new RoomSubscriptionRequest(room, TOKEN), Rejection.INVALID).withMessageContaining("room");
	}

	@Test
	void rejectsARequestWithoutToken() {
		assertRejected(new RoomSubscriptionRequest("general", null, null), Rejection.INVALID)
			.withMessageContaining("registrationToken");
		assertRejected(new RoomSubscriptionRequest("general", null, List.of()), Rejection.INVALID)
			.withMessageContaining("registrationTokens");
	}

	@Test
	void rejectsARequestWithBothASingleTokenAndAList() {
		assertRejected(new RoomSubscriptionRequest("general", "a-1", List.of("b-2")), Rejection.INVALID)
			.withMessageContaining("not both");
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", "\n\t" })
	void rejectsABlankToken(String token) {
		assertRejected(new RoomSubscriptionRequest("general", token), Rejection.INVALID)
			.withMessageContaining("'registrationToken' must not be blank");
	}

	@Test
	void rejectsABlankOrMissingTokenInTheListAndNamesItsPlace() {
		assertRejected(new RoomSubscriptionRequest("general", null, List.of("a-1", " ")), Rejection.INVALID)
			.withMessageContaining("registrationTokens[1]");
		assertRejected(new RoomSubscriptionRequest("general", null, Arrays.asList("a-1", "b-2", null)),
				Rejection.INVALID)
			.withMessageContaining("registrationTokens[2]");
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "a b", "a\tb", "a\u0000b", "a\u007fb", "t\u00f6ken", "a\u200bb", "\u00a0", "\uD83D\uDE80" })
	void rejectsTokensWithOtherThanVisibleAsciiCharacters(String token) {
		assertRejected(new RoomSubscriptionRequest("general", token), Rejection.INVALID)
			.withMessageContaining("visible ASCII");
	}

	@Test
	void acceptsATokenOf4096Characters() {
		String token = "t".repeat(RoomSubscription.MAX_TOKEN_LENGTH);
		assertThat(RoomSubscription.from(new RoomSubscriptionRequest("general", token)).registrationTokens())
			.containsExactly(token);
	}

	@Test
	void rejectsATokenOver4096CharactersAsTooLarge() {
		assertRejected(new RoomSubscriptionRequest("general", "t".repeat(4097)), Rejection.TOO_LARGE)
			.withMessageContaining("4097")
			.withMessageContaining("4096");
	}

	@Test
	void acceptsAHundredTokens() {
		assertThat(
				RoomSubscription.from(new RoomSubscriptionRequest("general", null, tokens(100))).registrationTokens())
			.hasSize(RoomSubscription.MAX_TOKENS);
	}

	@Test
	void rejectsOverAHundredTokensAsTooLarge() {
		assertRejected(new RoomSubscriptionRequest("general", null, tokens(101)), Rejection.TOO_LARGE)
			.withMessageContaining("101")
			.withMessageContaining("100");
	}

	@Test
	void keepsACopyOfTheTokens() {
		List<String> tokens = new ArrayList<>(List.of("a-1"));
		RoomSubscription subscription = new RoomSubscription("general", tokens);
		tokens.add("b-2");
		assertThat(subscription.registrationTokens()).containsExactly("a-1");
	}

	private static List<@Nullable String> tokens(int count) {
		return new ArrayList<>(IntStream.range(0, count).mapToObj((i) -> "token-" + i).toList());
	}

	private static ThrowableAssertAlternative<RejectedInputException> assertRejected(RoomSubscriptionRequest request,
			Rejection rejection) {
		return assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> RoomSubscription.from(request))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(rejection));
	}

}
