package dev.skyfold.chat.application;

import java.util.List;

import dev.skyfold.chat.application.RecordingRoomSubscriptions.Call;
import dev.skyfold.chat.domain.DroppedToken;
import dev.skyfold.chat.domain.RoomSubscriptionRequest;
import dev.skyfold.chat.domain.RoomSubscriptionResult;
import dev.skyfold.chat.port.RoomSubscriptionException;
import dev.skyfold.chat.port.RoomSubscriptions;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Subscribing and unsubscribing, as {@code subscribeToRoom} and
 * {@code unsubscribeFromRoom} do: check, hand the checked tokens to the push channel
 * once, report each token as accepted or dropped.
 */
class RoomSubscriptionServiceTests {

	private final RecordingRoomSubscriptions channel = new RecordingRoomSubscriptions();

	private final RoomSubscriptionService service = new RoomSubscriptionService(this.channel);

	@Test
	void subscribesTheTokensToTheRoomAndReportsThemAccepted() {
		RoomSubscriptionResult result = this.service
			.subscribe(new RoomSubscriptionRequest("general", null, List.of("a-1", "b-2")));

		assertThat(result).isEqualTo(new RoomSubscriptionResult("general", List.of("a-1", "b-2"), List.of()));
		assertThat(this.channel.members("general")).containsExactlyInAnyOrder("a-1", "b-2");
		assertThat(this.channel.calls()).containsExactly(new Call(true, "general", List.of("a-1", "b-2")));
	}

	@Test
	void unsubscribesTheTokensFromTheRoomOnly() {
		this.service.subscribe(new RoomSubscriptionRequest("general", null, List.of("a-1", "b-2")));
		this.service.subscribe(new RoomSubscriptionRequest("random", "a-1"));

		RoomSubscriptionResult result = this.service.unsubscribe(new RoomSubscriptionRequest("general", "a-1"));

		assertThat(result).isEqualTo(new RoomSubscriptionResult("general", List.of("a-1"), List.of()));
		assertThat(this.channel.members("general")).containsExactly("b-2");
		assertThat(this.channel.members("random")).containsExactly("a-1");
		assertThat(this.channel.calls()).last().isEqualTo(new Call(false, "general", List.of("a-1")));
	}

	@Test
	void reportsRefusedTokensDroppedWithTheirReasonBesideTheAcceptedOnes() {
		this.channel.dropping("gone", "registration-token-not-registered").dropping("bad", "invalid-argument");

		RoomSubscriptionResult result = this.service
			.subscribe(new RoomSubscriptionRequest("general", null, List.of("gone", "a-1", "bad")));

		assertThat(result.accepted()).containsExactly("a-1");
		assertThat(result.dropped()).containsExactly(new DroppedToken("gone", "registration-token-not-registered"),
				new DroppedToken("bad", "invalid-argument"));
		assertThat(this.channel.members("general")).containsExactly("a-1");
	}

	@Test
	void triesADroppedTokenOnceAndKeepsItNowhere() {
		this.channel.dropping("gone", "registration-token-not-registered");

		this.service.subscribe(new RoomSubscriptionRequest("general", "gone"));

		assertThat(this.channel.calls()).hasSize(1);
		assertThat(this.channel.members("general")).isEmpty();
	}

	@Test
	void handsTheCheckedDistinctTokensToThePushChannel() {
		this.service.subscribe(new RoomSubscriptionRequest("general", null, List.of(" a-1 ", "a-1", "b-2")));

		assertThat(this.channel.calls()).singleElement()
			.extracting(Call::registrationTokens)
			.isEqualTo(List.of("a-1", "b-2"));
	}

	@Test
	void rejectsBadInputBeforeReachingThePushChannel() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> this.service.subscribe(new RoomSubscriptionRequest("General", "a-1")))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> this.service.unsubscribe(new RoomSubscriptionRequest("general", "x".repeat(4097))))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE));
		assertThat(this.channel.calls()).isEmpty();
	}

	@Test
	void passesAFailureOfTheWholeCallOnWithoutAResult() {
		RoomSubscriptionException down = new RoomSubscriptionException("FCM is unavailable", true);
		this.channel.failingWith(down);

		assertThatExceptionOfType(RoomSubscriptionException.class)
			.isThrownBy(() -> this.service.subscribe(new RoomSubscriptionRequest("general", "a-1")))
			.isSameAs(down);
		assertThat(this.channel.members("general")).isEmpty();
	}

	@Test
	void refusesAnAnswerThatDoesNotAccountForEveryToken() {
		RoomSubscriptionService truncated = new RoomSubscriptionService(
				new FixedAnswer(List.of(RoomSubscriptions.TokenOutcome.accepted("a-1"))));
		RoomSubscriptionService wrong = new RoomSubscriptionService(new FixedAnswer(
				List.of(RoomSubscriptions.TokenOutcome.accepted("a-1"), RoomSubscriptions.TokenOutcome.accepted("x"))));
		RoomSubscriptionRequest request = new RoomSubscriptionRequest("general", null, List.of("a-1", "b-2"));

		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> truncated.subscribe(request))
			.withMessageContaining("1 outcomes for 2");
		assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> wrong.unsubscribe(request))
			.withMessageContaining("outcome 1");
	}

	/**
	 * Answers every call with the same outcomes, whatever the tokens.
	 */
	private record FixedAnswer(List<RoomSubscriptions.TokenOutcome> outcomes) implements RoomSubscriptions {

		@Override
		public List<TokenOutcome> subscribe(String room, List<String> registrationTokens) {
			return this.outcomes;
		}

		@Override
		public List<TokenOutcome> unsubscribe(String room, List<String> registrationTokens) {
			return this.outcomes;
		}

	}

}
