package dev.skyfold.chat.aws.lambda;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
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
 * What the HTTP API functions share: reading a request's JSON body, however API Gateway
 * encoded it, and answering with JSON or with an RFC 9457 problem
 * ({@code application/problem+json}: {@code type}, {@code title}, {@code status},
 * {@code detail}), the same shape the local app answers with.
 */
final class HttpApi {

	static final String JSON = "application/json";

	static final String PROBLEM_JSON = "application/problem+json";

	private static final Logger log = LoggerFactory.getLogger(HttpApi.class);

	private static final Pattern JSON_TYPE = Pattern.compile("application/([a-z0-9.+-]+\\+)?json");

	/** Lenient about unknown fields, as the local app is; strict about what follows. */
	static final JsonMapper mapper = JsonMapper.builder()
		.disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
		.enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
		.disable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
		.build();

	private HttpApi() {
	}

	/**
	 * Reads a request's body as JSON.
	 * @param <T> the type to read
	 * @param event the request
	 * @param type the type to read
	 * @return the value
	 * @throws RejectedInputException when the content type is not JSON
	 * ({@link Rejection#UNSUPPORTED}), or the body is missing, not base64 when it says
	 * so, not UTF-8 or not JSON of that type ({@link Rejection#INVALID})
	 */
	static <T> T readJson(APIGatewayV2HTTPEvent event, Class<T> type) {
		String contentType = header(event, "content-type");
		if (contentType != null && !JSON_TYPE.matcher(mediaType(contentType)).matches()) {
			throw new RejectedInputException(Rejection.UNSUPPORTED,
					"The body must be JSON (Content-Type: application/json), not " + contentType);
		}
		String body = body(event);
		if (body.isBlank()) {
			throw new RejectedInputException(Rejection.INVALID, "The request has no body; send the message as JSON");
		}
		T value;
		try {
			value = mapper.readValue(body, type);
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
	 * The request's body as text: decoded from base64 when API Gateway encoded it.
	 * @param event the request
	 * @return the body, empty when there is none
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when the body is not
	 * valid base64 or UTF-8
	 */
	static String body(APIGatewayV2HTTPEvent event) {
		String body = event.getBody();
		if (body == null) {
			return "";
		}
		if (!event.getIsBase64Encoded()) {
			return body;
		}
		byte[] bytes;
		try {
			bytes = Base64.getDecoder().decode(body);
		}
		catch (IllegalArgumentException ex) {
			throw new RejectedInputException(Rejection.INVALID,
					"The body is marked base64 but is not: " + ex.getMessage(), ex);
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new RejectedInputException(Rejection.INVALID, "The body is not UTF-8 text", ex);
		}
	}

	/**
	 * A request header, whatever the case of its name (API Gateway lower-cases them).
	 * @param event the request
	 * @param name the header's name
	 * @return its value, or {@code null} when absent
	 */
	static @Nullable String header(APIGatewayV2HTTPEvent event, String name) {
		Map<String, String> headers = event.getHeaders();
		if (headers == null) {
			return null;
		}
		String value = headers.get(name);
		if (value != null) {
			return value;
		}
		for (Map.Entry<String, String> header : headers.entrySet()) {
			if (name.equalsIgnoreCase(header.getKey())) {
				return header.getValue();
			}
		}
		return null;
	}

	/**
	 * A JSON answer.
	 * @param status the HTTP status
	 * @param body what to write as JSON
	 * @return the response
	 */
	static APIGatewayV2HTTPResponse json(int status, Object body) {
		return response(status, JSON, mapper.writeValueAsString(body));
	}

	/**
	 * The answer to a failure: a rejection's status and message, a 500 without internals
	 * for anything else (logged).
	 * @param failure what the function threw
	 * @param function the function's name, for the log
	 * @return the problem response
	 */
	static APIGatewayV2HTTPResponse failure(RuntimeException failure, String function) {
		RejectedInputException rejected = RejectedInputException.findIn(failure);
		if (rejected != null) {
			log.atInfo()
				.addKeyValue("function", function)
				.addKeyValue("outcome", "rejected")
				.log("Rejected a request to {}: {}", function, rejected.getMessage());
			return problem(rejected.rejection().httpStatus(), rejected.rejection().title(), rejected.getMessage());
		}
		log.atError()
			.addKeyValue("function", function)
			.addKeyValue("outcome", "failed")
			.setCause(failure)
			.log("{} failed: {}", function, failure.toString());
		return problem(500, "Internal error", "The function failed unexpectedly; the function's log has the details");
	}

	/**
	 * A problem answer.
	 * @param status the HTTP status
	 * @param title a short summary
	 * @param detail what happened, in words
	 * @return the response
	 */
	static APIGatewayV2HTTPResponse problem(int status, String title, String detail) {
		ObjectNode problem = mapper.createObjectNode();
		problem.put("type", "about:blank");
		problem.put("title", title);
		problem.put("status", status);
		problem.put("detail", detail);
		return response(status, PROBLEM_JSON, mapper.writeValueAsString(problem));
	}

	private static APIGatewayV2HTTPResponse response(int status, String contentType, String body) {
		return APIGatewayV2HTTPResponse.builder()
			.withStatusCode(status)
			.withHeaders(Map.of("Content-Type", contentType))
			// Empty rather than null, for any serializer that writes nulls.
			.withMultiValueHeaders(Map.of())
			.withCookies(List.of())
			.withBody(body)
			.withIsBase64Encoded(false)
			.build();
	}

	private static String mediaType(String contentType) {
		int parameters = contentType.indexOf(';');
		return ((parameters >= 0) ? contentType.substring(0, parameters) : contentType).strip()
			.toLowerCase(Locale.ROOT);
	}

}
