package dev.skyfold.chat.http;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;
import tools.jackson.core.JacksonException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The JSON-over-HTTP rules every chat host shares: which bodies are read, which are
 * refused with which status, and the exact JSON and problem answers.
 */
class HttpJsonTests {

	private static final String POST = "{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"Hi\"}";

	private final Logger logger = (Logger) LoggerFactory.getLogger(HttpJson.class);

	private final ListAppender<ILoggingEvent> logged = new ListAppender<>();

	@BeforeEach
	void captureTheLog() {
		this.logged.start();
		this.logger.addAppender(this.logged);
		// Only here: a failure's stack trace on the console would look like a broken
		// build.
		this.logger.setAdditive(false);
	}

	@AfterEach
	void releaseTheLog() {
		this.logger.detachAppender(this.logged);
		this.logger.setAdditive(true);
	}

	@Test
	void readsAJsonBodyIgnoringUnknownFields() {
		PostMessage post = HttpJson.read("application/json",
				() -> "{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"Hi\",\"mood\":\"happy\"}",
				PostMessage.class);

		assertThat(post).isEqualTo(new PostMessage("general", "Ada", "Hi"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "application/json", "application/json; charset=utf-8", "Application/JSON;charset=UTF-8",
			" application/json ", "application/merge-patch+json", "application/vnd.skyfold.message+json" })
	void readsABodyWhoseContentTypeIsJsonWhateverItsParametersSuffixOrCase(String contentType) {
		assertThat(HttpJson.read(contentType, () -> POST, PostMessage.class))
			.isEqualTo(new PostMessage("general", "Ada", "Hi"));
	}

	@Test
	void takesABodyWithoutAContentTypeForJson() {
		assertThat(HttpJson.read(null, () -> POST, PostMessage.class))
			.isEqualTo(new PostMessage("general", "Ada", "Hi"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain", "text/json", "application/jsonp", "application/json-seq",
			"application/x-www-form-urlencoded", "multipart/form-data; boundary=json", "" })
	void refusesABodyWhoseContentTypeIsNotJsonWith415(String contentType) {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HttpJson.read(contentType, () -> POST, PostMessage.class))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.UNSUPPORTED))
			.withMessage("The body must be JSON (Content-Type: application/json), not " + contentType);
	}

	@Test
	void readsNoBodyOfARequestWhoseContentTypeIsNotJson() {
		Supplier<@Nullable String> body = () -> {
			throw new RejectedInputException(Rejection.INVALID, "The body is marked base64 but is not");
		};

		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HttpJson.read("text/plain", body, PostMessage.class))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.UNSUPPORTED));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HttpJson.read("application/json", body, PostMessage.class))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessage("The body is marked base64 but is not");
	}

	@ParameterizedTest
	@NullSource
	@ValueSource(strings = { "", " ", "\r\n\t" })
	void refusesAMissingOrBlankBodyWith400(@Nullable String body) {
		assertInvalid(body).withMessage("The request has no body; send the message as JSON");
	}

	@Test
	void refusesMalformedJsonWith400SayingWhy() {
		assertInvalid("{\"room\":").withMessageStartingWith("Malformed JSON: ")
			.withCauseInstanceOf(JacksonException.class);
	}

	@ParameterizedTest
	@ValueSource(strings = { POST + " {}", POST + " []", POST + POST })
	void refusesTokensAfterTheValueWith400(String body) {
		assertInvalid(body).withMessageStartingWith("Malformed JSON: Trailing token");
	}

	@ParameterizedTest
	@ValueSource(strings = { "null", " null\n" })
	void refusesJsonNullWith400(String body) {
		assertInvalid(body).withMessage("The body must be a JSON object, not null");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[1, 2]", "\"text\"", "{\"room\":[\"general\"]}" })
	void refusesJsonOfAnotherShapeWith400(String body) {
		assertInvalid(body).withMessageStartingWith("Malformed JSON: ");
	}

	@Test
	void answersJsonWithTheRecordsFieldsInOrderAndIsoInstants() {
		ChatMessage message = new ChatMessage("m-1", "general", "Ada", "Hi \"all\"",
				Instant.parse("2026-03-01T12:00:00Z"));

		assertThat(HttpJson.json(201, message)).isEqualTo(new HttpReply(201, "application/json",
				"{\"id\":\"m-1\",\"room\":\"general\",\"author\":\"Ada\",\"text\":\"Hi \\\"all\\\"\",\"createdAt\":\"2026-03-01T12:00:00Z\"}"));
	}

	@Test
	void answersAProblemAsRfc9457Json() {
		assertThat(HttpJson.problem(400, "Invalid input", "Say \"hi\"\nthen go")).isEqualTo(new HttpReply(400,
				"application/problem+json",
				"{\"type\":\"about:blank\",\"title\":\"Invalid input\",\"status\":400,\"detail\":\"Say \\\"hi\\\"\\nthen go\"}"));
	}

	@ParameterizedTest
	@CsvSource({ "INVALID, 400, Invalid input", "TOO_LARGE, 413, Input too large",
			"UNSUPPORTED, 415, Unsupported input format" })
	void answersEachRejectionWithItsStatusTitleAndMessage(Rejection rejection, int status, String title) {
		HttpReply reply = HttpJson.failure(new RejectedInputException(rejection, "Because"), "postMessage", null);

		assertThat(reply)
			.isEqualTo(new HttpReply(status, "application/problem+json", "{\"type\":\"about:blank\",\"title\":\""
					+ title + "\",\"status\":" + status + ",\"detail\":\"Because\"}"));
	}

	@Test
	void answersARejectionWrappedInAnotherFailureAsThatRejection() {
		RuntimeException failure = new IllegalStateException("Function failed",
				new RejectedInputException(Rejection.TOO_LARGE, "The text is too long"));

		HttpReply reply = HttpJson.failure(failure, "postMessage", null);

		assertThat(reply.status()).isEqualTo(413);
		assertThat(reply.body()).contains("\"detail\":\"The text is too long\"");
	}

	@Test
	void answersAnyOtherFailureWith500WithoutInternals() {
		HttpReply reply = HttpJson.failure(new IllegalStateException("secret connection string"), "postMessage", null);

		assertThat(reply).isEqualTo(new HttpReply(500, "application/problem+json",
				"{\"type\":\"about:blank\",\"title\":\"Internal error\",\"status\":500,"
						+ "\"detail\":\"The function failed unexpectedly; the function's log has the details\"}"));
	}

	@Test
	void logsAnUnexpectedFailureAtErrorWithItsCauseAndInvocation() {
		HttpJson.failure(new IllegalStateException("secret connection string"), "postMessage", "inv-1");

		assertThat(this.logged.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.ERROR);
			assertThat(event.getFormattedMessage())
				.isEqualTo("postMessage failed: java.lang.IllegalStateException: secret connection string");
			assertThat(event.getThrowableProxy().getClassName()).isEqualTo(IllegalStateException.class.getName());
			assertThat(keyValues(event)).containsExactly(tuple("function", "postMessage"),
					tuple("invocationId", "inv-1"), tuple("outcome", "failed"));
		});
	}

	@Test
	void logsARejectionAtInfoWithoutAnInvocationIdWhenTheHostHasNone() {
		HttpJson.failure(new RejectedInputException(Rejection.INVALID, "No room"), "postMessage", null);

		assertThat(this.logged.list).singleElement().satisfies((event) -> {
			assertThat(event.getLevel()).isEqualTo(Level.INFO);
			assertThat(event.getFormattedMessage()).isEqualTo("Rejected a request to postMessage: No room");
			assertThat(event.getThrowableProxy()).isNull();
			assertThat(keyValues(event)).containsExactly(tuple("function", "postMessage"),
					tuple("outcome", "rejected"));
		});
	}

	@Test
	void findsAValueWhateverTheCaseOfItsName() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("content-type", "application/json");
		headers.put("X-MS-CLIENT-PRINCIPAL", "e30=");

		assertThat(HttpJson.valueIgnoringCase(headers, "content-type")).isEqualTo("application/json");
		assertThat(HttpJson.valueIgnoringCase(headers, "Content-Type")).isEqualTo("application/json");
		assertThat(HttpJson.valueIgnoringCase(headers, "x-ms-client-principal")).isEqualTo("e30=");
		assertThat(HttpJson.valueIgnoringCase(headers, "authorization")).isNull();
		assertThat(HttpJson.valueIgnoringCase(null, "content-type")).isNull();
	}

	private static org.assertj.core.api.ThrowableAssertAlternative<RejectedInputException> assertInvalid(
			@Nullable String body) {
		return assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> HttpJson.read("application/json", () -> body, PostMessage.class))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

	private static List<org.assertj.core.groups.Tuple> keyValues(ILoggingEvent event) {
		List<KeyValuePair> pairs = (event.getKeyValuePairs() != null) ? event.getKeyValuePairs() : List.of();
		return pairs.stream().map((pair) -> tuple(pair.key, pair.value)).toList();
	}

}
