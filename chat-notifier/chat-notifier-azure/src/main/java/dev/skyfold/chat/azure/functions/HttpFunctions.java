package dev.skyfold.chat.azure.functions;

import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.DeserializationFeature;
import tools.jackson.databind.MapperFeature;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * What the HTTP-triggered functions share: reading a request's JSON body and answering
 * with JSON or with an RFC 9457 problem ({@code application/problem+json}: {@code type},
 * {@code title}, {@code status}, {@code detail}), the same shape the local app and the
 * Lambda functions answer with.
 */
final class HttpFunctions {

	static final String JSON = "application/json";

	static final String PROBLEM_JSON = "application/problem+json";

	private static final Logger log = LoggerFactory.getLogger(HttpFunctions.class);

	private static final Pattern JSON_TYPE = Pattern.compile("application/([a-z0-9.+-]+\\+)?json");

	/** Lenient about unknown fields, as the local app is; strict about what follows. */
	static final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.build();

	private HttpFunctions() {
	}

	/**
	 * Reads a request's body as JSON.
	 * @param <T> the type to read
	 * @param request the request
	 * @param type the type to read
	 * @return the value
	 * @throws RejectedInputException when the content type is not JSON
	 * ({@link Rejection#UNSUPPORTED}), or the body is missing or not JSON of that type
	 * ({@link Rejection#INVALID})
	 */
	static <T> T readJson(HttpRequestMessage<Optional<String>> request, Class<T> type) {
		String contentType = header(request, "content-type");
		if (contentType != null && !JSON_TYPE.matcher(mediaType(contentType)).matches()) {
			throw new RejectedInputException(Rejection.UNSUPPORTED,
					"The body must be JSON (Content-Type: application/json), not " + contentType);
		}
		Optional<String> body = request.getBody();
		if (body == null || body.isEmpty() || body.get().isBlank()) {
			throw new RejectedInputException(Rejection.INVALID, "The request has no body; send the message as JSON");
		}
		T value;
		try {
			value = mapper.readValue(body.get(), type);
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
	 * A request header, whatever the case of its name.
	 * @param request the request
	 * @param name the header's name
	 * @return its value, or {@code null} when absent
	 */
	static @Nullable String header(HttpRequestMessage<?> request, String name) {
		return ignoringCase(request.getHeaders(), name);
	}

	/**
	 * A query parameter, whatever the case of its name.
	 * @param request the request
	 * @param name the parameter's name
	 * @return its value, or {@code null} when absent
	 */
	static @Nullable String query(HttpRequestMessage<?> request, String name) {
		return ignoringCase(request.getQueryParameters(), name);
	}

	/**
	 * A JSON answer.
	 * @param request the request answered
	 * @param status the HTTP status
	 * @param body what to write as JSON
	 * @return the response
	 */
	static HttpResponseMessage json(HttpRequestMessage<?> request, int status, Object body) {
		return response(request, status, JSON, mapper.writeValueAsString(body));
	}

	/**
	 * The answer to a failure: a rejection's status and message, a 500 without internals
	 * for anything else (logged).
	 * @param request the request answered
	 * @param failure what the function threw
	 * @param context the invocation, for the log
	 * @return the problem response
	 */
	static HttpResponseMessage failure(HttpRequestMessage<?> request, RuntimeException failure,
			ExecutionContext context) {
		RejectedInputException rejected = RejectedInputException.findIn(failure);
		if (rejected != null) {
			log.atInfo()
				.addKeyValue("function", context.getFunctionName())
				.addKeyValue("invocationId", context.getInvocationId())
				.addKeyValue("outcome", "rejected")
				.log("Rejected a request to {}: {}", context.getFunctionName(), rejected.getMessage());
			return problem(request, rejected.rejection().httpStatus(), rejected.rejection().title(),
					rejected.getMessage());
		}
		log.atError()
			.addKeyValue("function", context.getFunctionName())
			.addKeyValue("invocationId", context.getInvocationId())
			.addKeyValue("outcome", "failed")
			.setCause(failure)
			.log("{} failed: {}", context.getFunctionName(), failure.toString());
		return problem(request, 500, "Internal error",
				"The function failed unexpectedly; the function's log has the details");
	}

	/**
	 * A problem answer.
	 * @param request the request answered
	 * @param status the HTTP status
	 * @param title a short summary
	 * @param detail what happened, in words
	 * @return the response
	 */
	static HttpResponseMessage problem(HttpRequestMessage<?> request, int status, String title, String detail) {
		ObjectNode problem = mapper.createObjectNode();
		problem.put("type", "about:blank");
		problem.put("title", title);
		problem.put("status", status);
		problem.put("detail", detail);
		return response(request, status, PROBLEM_JSON, mapper.writeValueAsString(problem));
	}

	private static HttpResponseMessage response(HttpRequestMessage<?> request, int status, String contentType,
			String body) {
		return request.createResponseBuilder(HttpStatusType.custom(status))
			.header("Content-Type", contentType)
			.body(body)
			.build();
	}

	private static @Nullable String ignoringCase(@Nullable Map<String, String> values, String name) {
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

	private static String mediaType(String contentType) {
		int parameters = contentType.indexOf(';');
		return ((parameters >= 0) ? contentType.substring(0, parameters) : contentType).strip()
			.toLowerCase(Locale.ROOT);
	}

}
