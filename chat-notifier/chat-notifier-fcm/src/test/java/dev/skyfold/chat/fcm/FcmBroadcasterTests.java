package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.EnumSet;

import com.google.api.client.json.gson.GsonFactory;
import com.google.auth.Retryable;
import com.google.firebase.ErrorCode;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.BroadcastException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

/**
 * How {@link FcmBroadcaster} maps chat messages to FCM messages and FCM failures to
 * transient or permanent broadcast failures.
 */
class FcmBroadcasterTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Instant CREATED = Instant.parse("2025-05-01T10:15:30.123456Z");

	private final FirebaseMessaging messaging = mock(FirebaseMessaging.class);

	private final FcmBroadcaster broadcaster = new FcmBroadcaster(this.messaging, "New Message", 200);

	@Test
	void isNamedFcm() {
		assertThat(this.broadcaster.name()).isEqualTo("fcm");
	}

	@Test
	void sendsOneMessageToTheRoomsTopicWithNotificationAndData() throws Exception {
		ChatMessage message = new ChatMessage("m-1", "general", "Ada", "Hello\nworld", CREATED);

		this.broadcaster.broadcast(message);

		ArgumentCaptor<Message> sent = ArgumentCaptor.forClass(Message.class);
		verify(this.messaging).send(sent.capture());
		assertThat(wire(sent.getValue())).isEqualTo(json.readTree("""
				{"topic": "general",
				 "notification": {"title": "New Message", "body": "Hello\\nworld"},
				 "data": {"id": "m-1", "room": "general", "author": "Ada", "text": "Hello\\nworld",
				          "createdAt": "2025-05-01T10:15:30.123456Z"}}
				"""));
	}

	@Test
	void writesCreatedAtAsIso8601EvenOnAWholeSecond() {
		Message message = this.broadcaster
			.toMessage(new ChatMessage("m-1", "general", "Ada", "Hi", Instant.parse("2025-05-01T10:15:30Z")));

		assertThat(wire(message).path("data").path("createdAt").asString()).isEqualTo("2025-05-01T10:15:30Z");
	}

	@Test
	void keepsATextOfTheBodyLengthWhole() {
		String text = "🚀".repeat(200);

		assertThat(body(this.broadcaster, text)).isEqualTo(text);
	}

	@Test
	void cutsALongerTextToTheBodyLengthOnACharacterBoundary() {
		String text = "🚀".repeat(201);

		String body = body(this.broadcaster, text);

		assertThat(body).isEqualTo("🚀".repeat(199) + "…");
		assertThat(body.codePointCount(0, body.length())).isEqualTo(200);
	}

	@Test
	void dropsTrailingSpaceBeforeTheEllipsis() {
		FcmBroadcaster shortBodies = new FcmBroadcaster(this.messaging, "New Message", 6);

		assertThat(body(shortBodies, "abcd efgh")).isEqualTo("abcd…");
	}

	@Test
	void keepsTheWholeTextInTheDataWhenTheMessageFitsFcmsLimit() {
		String text = "x".repeat(3500);

		JsonNode data = wire(this.broadcaster.toMessage(new ChatMessage("m-1", "general", "Ada", text, CREATED)))
			.path("data");

		assertThat(data.path("text").asString()).isEqualTo(text);
		assertThat(data.has(FcmBroadcaster.TRUNCATED)).isFalse();
	}

	@Test
	void cutsTheDataTextAndSaysSoWhenTheMessageWouldExceedFcmsLimit() {
		String text = "é🚀".repeat(2000);

		JsonNode message = wire(this.broadcaster.toMessage(new ChatMessage("m-1", "general", "Ada", text, CREATED)));

		JsonNode data = message.path("data");
		assertThat(data.path(FcmBroadcaster.TRUNCATED).asString()).isEqualTo("true");
		String cut = data.path("text").asString();
		assertThat(cut).endsWith("…");
		assertThat(text).startsWith(cut.substring(0, cut.length() - 1));
		assertThat(Character.isHighSurrogate(cut.charAt(cut.length() - 2))).isFalse();
		int payload = utf8(message.path("notification").path("title").asString())
				+ utf8(message.path("notification").path("body").asString());
		for (var field : data.properties()) {
			payload += utf8(field.getKey()) + utf8(field.getValue().asString());
		}
		assertThat(payload).isLessThanOrEqualTo(FcmBroadcaster.MAX_PAYLOAD_BYTES)
			.isGreaterThan(FcmBroadcaster.MAX_PAYLOAD_BYTES - 8);
	}

	@Test
	void refusesARoomThatIsNoTopicWithoutCallingFcm() throws Exception {
		ChatMessage message = new ChatMessage("m-1", "salle à manger", "Ada", "Hi", CREATED);

		assertThatExceptionOfType(BroadcastException.class).isThrownBy(() -> this.broadcaster.broadcast(message))
			.satisfies((ex) -> assertThat(ex.isTransient()).isFalse());
		verify(this.messaging, never()).send(any());
	}

	@Test
	void reportsAnFcmFailureAsABroadcastExceptionWithItsCause() throws Exception {
		FirebaseMessagingException failure = mock(FirebaseMessagingException.class);
		given(failure.getErrorCode()).willReturn(ErrorCode.UNAVAILABLE);
		given(failure.getMessagingErrorCode()).willReturn(MessagingErrorCode.UNAVAILABLE);
		given(failure.getMessage()).willReturn("The service is currently unavailable.");
		given(this.messaging.send(any())).willThrow(failure);

		assertThatExceptionOfType(BroadcastException.class)
			.isThrownBy(
					() -> this.broadcaster.broadcast(new ChatMessage("m-1", "general", "Ada", "Secret text", CREATED)))
			.satisfies((ex) -> {
				assertThat(ex.isTransient()).isTrue();
				assertThat(ex.getCause()).isSameAs(failure);
				assertThat(ex.getMessage()).contains("m-1", "general", "UNAVAILABLE", "currently unavailable")
					.doesNotContain("Secret text");
			});
	}

	@ParameterizedTest
	@EnumSource(names = { "UNAVAILABLE", "INTERNAL", "QUOTA_EXCEEDED" })
	void treatsFcmOverloadAndServerErrorsAsTransient(MessagingErrorCode code) {
		assertThat(FcmBroadcaster.isTransient(ErrorCode.INVALID_ARGUMENT, code, null, true)).isTrue();
	}

	@ParameterizedTest
	@EnumSource(names = { "INVALID_ARGUMENT", "SENDER_ID_MISMATCH", "THIRD_PARTY_AUTH_ERROR", "UNREGISTERED" })
	void treatsMessagesFcmRefusedAsPermanent(MessagingErrorCode code) {
		assertThat(FcmBroadcaster.isTransient(ErrorCode.UNAVAILABLE, code, null, true)).isFalse();
	}

	@Test
	void classifiesEveryFcmErrorCode() {
		EnumSet<MessagingErrorCode> classified = EnumSet.of(MessagingErrorCode.UNAVAILABLE, MessagingErrorCode.INTERNAL,
				MessagingErrorCode.QUOTA_EXCEEDED, MessagingErrorCode.INVALID_ARGUMENT,
				MessagingErrorCode.SENDER_ID_MISMATCH, MessagingErrorCode.THIRD_PARTY_AUTH_ERROR,
				MessagingErrorCode.UNREGISTERED);

		assertThat(EnumSet.complementOf(classified)).as("FCM error codes newer than this mapping").isEmpty();
	}

	@ParameterizedTest
	@EnumSource(names = { "UNAVAILABLE", "INTERNAL", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "ABORTED" })
	void fallsBackToTransientForRateLimitsServerErrorsAndTimeouts(ErrorCode code) {
		assertThat(FcmBroadcaster.isTransient(code, null, null, true)).isTrue();
	}

	@ParameterizedTest
	@EnumSource(names = { "UNAVAILABLE", "INTERNAL", "RESOURCE_EXHAUSTED", "DEADLINE_EXCEEDED", "ABORTED" },
			mode = EnumSource.Mode.EXCLUDE)
	void fallsBackToPermanentForClientAndUnknownErrors(ErrorCode code) {
		assertThat(FcmBroadcaster.isTransient(code, null, null, true)).isFalse();
	}

	@Test
	void treatsANetworkFailureWithoutAnswerAsTransient() {
		assertThat(
				FcmBroadcaster.isTransient(ErrorCode.UNKNOWN, null, new ConnectException("Connection refused"), false))
			.isTrue();
		assertThat(FcmBroadcaster.isTransient(ErrorCode.DEADLINE_EXCEEDED, null,
				new SocketTimeoutException("Read timed out"), false))
			.isTrue();
	}

	@Test
	void followsTheTokenEndpointOnWhetherATokenFailureIsWorthRetrying() {
		assertThat(FcmBroadcaster.isTransient(ErrorCode.UNKNOWN, null, new TokenFailure(false), false)).isFalse();
		assertThat(FcmBroadcaster.isTransient(ErrorCode.UNKNOWN, null, new IOException(new TokenFailure(true)), false))
			.isTrue();
	}

	@Test
	void treatsAnUnreadableAnswerAsPermanent() {
		assertThat(FcmBroadcaster.isTransient(ErrorCode.UNKNOWN, null, new IOException("Unexpected token"), true))
			.isFalse();
	}

	@Test
	void rejectsABodyLengthWithNoRoomForAnEllipsis() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FcmBroadcaster(this.messaging, "New Message", 1));
	}

	@Test
	void rejectsABlankTitle() {
		assertThatIllegalArgumentException().isThrownBy(() -> new FcmBroadcaster(this.messaging, " ", 200));
	}

	private static String body(FcmBroadcaster broadcaster, String text) {
		return wire(broadcaster.toMessage(new ChatMessage("m-1", "general", "Ada", text, CREATED))).path("notification")
			.path("body")
			.asString();
	}

	/**
	 * A message as the SDK writes it on the wire (inside {@code {"message": ...}}): the
	 * SDK's JSON mapping of its {@code @Key} fields.
	 */
	private static JsonNode wire(Message message) {
		try {
			return json.readTree(GsonFactory.getDefaultInstance().toString(message));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static int utf8(String text) {
		return text.getBytes(StandardCharsets.UTF_8).length;
	}

	private static final class TokenFailure extends IOException implements Retryable {

		private final boolean retryable;

		TokenFailure(boolean retryable) {
			super("Error getting access token for service account");
			this.retryable = retryable;
		}

		@Override
		public boolean isRetryable() {
			return this.retryable;
		}

		@Override
		public int getRetryCount() {
			return 0;
		}

	}

}
