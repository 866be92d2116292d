package dev.skyfold.chat.http;

import java.util.Locale;
import java.util.Map;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.kernel.access.AccessRefusedException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.spi.LoggingEventBuilder;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The JSON-over-HTTP rules every HTTP host of the chat follows: which request bodies it
 * reads (415 for a body that is not JSON, 400 for one that is missing, malformed or
 * {@code null}) and how it answers, with JSON or an RFC 9457 problem
 * ({@code application/problem+json}: {@code type}, {@code title}, {@code status},
 * {@code detail}), the shape the local app answers with too.
 */
public final class HttpJson {

	/** The media type of JSON answers. */
	public static final String JSON = "application/json";

	/** The media type of problem answers. */
	public static final String PROBLEM_JSON = "application/problem+json";

	private static final Logger log = LoggerFactory.getLogger(HttpJson.class);

	private static final Pattern JSON_TYPE = Pattern.compile("application/([a-z0-9.+-]+\\+)?json");

	/** Lenient about unknown fields, as the local app is; strict about what follows. */
	private static final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.build();

	private HttpJson() {
	}

	/**
	 * The mapper request bodies are read and answers written with, for hosts that read
	 * other JSON the same way (such as a header's).
	 * @return the mapper
	 */
	public static JsonMapper mapper() {
		return mapper;
	}

	/**
	 * Reads a request's body as JSON, once its content type says it is JSON.
	 * @param <T> the type to read
	 * @param contentType the request's {@code Content-Type}; {@code null} when it has
	 * none, which is taken for JSON
	 * @param body the request's body, {@code null} when it has none; not asked for when
	 * the content type is not JSON
	 * @param type the type to read
	 * @return the value
	 * @throws RejectedInputException when the content type is not JSON
	 * ({@link Rejection#UNSUPPORTED}), or the body is missing, blank, not JSON of that
	 * type or JSON {@code null} ({@link Rejection#INVALID}); and whatever {@code body}
	 * throws
	 */
	public static <T> T read(@Nullable String contentType, Supplier<@Nullable String> body, Class<T> type) {
		if (contentType != null && !JSON_TYPE.matcher(mediaType(contentType)).matches()) {
			throw new RejectedInputException(Rejection.UNSUPPORTED,
					"The body must be JSON (Content-Type: application/json), not " + contentType);
		}
		String text = body.get();
		if (text == null || text.isBlank()) {
			throw new RejectedInputException(Rejection.INVALID, "The request has no body; send the message as JSON");
		}
		T value;
		try {
			value = mapper.readValue(text, type);
		}
		catch (JacksonException ex) {
			throw new RejectedInputException(Rejection.INVALID, "Malformed JSON: " + ex.getOriginalMessage(), ex);
		}
		if (value == null) {
			throw new RejectedInputException(Rejection.INVALID, "The body must be a JSON object, not null");
		}
		return value;
	}

	/**
	 * A JSON answer.
	 * @param status the HTTP status
	 * @param body what to write as JSON
	 * @return the answer
	 */
	public static HttpReply json(int status, Object body) {
		return new HttpReply(status, JSON, mapper.writeValueAsString(body));
	}

	/**
	 * A problem answer.
	 * @param status the HTTP status
	 * @param title a short summary
	 * @param detail what happened, in words
	 * @return the answer
	 */
	public static HttpReply problem(int status, String title, String detail) {
		ObjectNode problem = mapper.createObjectNode();
		problem.put("type", "about:blank");
		problem.put("title", title);
		problem.put("status", status);
		problem.put("detail", detail);
		return new HttpReply(status, PROBLEM_JSON, mapper.writeValueAsString(problem));
	}

	/**
	 * The answer to a failure, logged: a refusal's 401 or 403 and a rejection's 4xx, with
	 * their title and message (at INFO), a 500 without internals for anything else (at
	 * ERROR, with the failure).
	 * @param failure what the function threw
	 * @param function the function's name, for the log
	 * @param invocationId the platform's id of the invocation, for the log; {@code null}
	 * when the host has none
	 * @return the problem answer
	 */
	public static HttpReply failure(RuntimeException failure, String function, @Nullable String invocationId) {
		if (failure instanceof AccessRefusedException refused) {
			logged(log.atInfo(), function, invocationId, "refused").log("Refused a request to {}: {}", function,
					refused.getMessage());
			return problem(refused.httpStatus(), refused.title(), refused.getMessage());
		}
		RejectedInputException rejected = RejectedInputException.findIn(failure);
		if (rejected != null) {
			logged(log.atInfo(), function, invocationId, "rejected").log("Rejected a request to {}: {}", function,
					rejected.getMessage());
			return problem(rejected.rejection().httpStatus(), rejected.rejection().title(), rejected.getMessage());
		}
		logged(log.atError(), function, invocationId, "failed").setCause(failure)
			.log("{} failed: {}", function, failure.toString());
		return problem(500, "Internal error", "The function failed unexpectedly; the function's log has the details");
	}

	/**
	 * A header's or query parameter's value, whatever the case of its name.
	 * @param values the values by name, as the platform hands them over; {@code null}
	 * when there are none
	 * @param name the name
	 * @return the value, or {@code null} when absent
	 */
	public static @Nullable String valueIgnoringCase(@Nullable Map<String, String> values, String name) {
		if (values == null) {
			return null;
		}
		String value = values.get(name);
		if (value != null) {
			return value;
		}
		for (Map.Entry<String, String> entry : values.entrySet()) {
			if (name.equalsIgnoreCase(entry.getKey())) {
				return entry.getValue();
			}
		}
		return null;
	}

	private static LoggingEventBuilder logged(LoggingEventBuilder event, String function, @Nullable String invocationId,
			String outcome) {
		event.addKeyValue("function", function);
		if (invocationId != null) {
			event.addKeyValue("invocationId", invocationId);
		}
		return event.addKeyValue("outcome", outcome);
	}

	private static String mediaType(String contentType) {
		int parameters = contentType.indexOf(';');
		return ((parameters >= 0) ? contentType.substring(0, parameters) : contentType).strip()
			.toLowerCase(Locale.ROOT);
	}

}
