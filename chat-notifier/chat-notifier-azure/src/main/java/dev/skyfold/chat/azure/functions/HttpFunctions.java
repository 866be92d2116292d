package dev.skyfold.chat.azure.functions;

import java.util.Optional;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatusType;
import dev.skyfold.chat.http.HttpJson;
import dev.skyfold.chat.http.HttpReply;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * Maps the HTTP-triggered functions' requests to the core's {@link HttpJson} and back: a
 * request's JSON body, headers and query parameters, and the JSON or problem answer as an
 * Azure Functions response.
 */
final class HttpFunctions {

	private HttpFunctions() {
	}

	/**
	 * Reads a request's body as JSON, by {@link HttpJson#read}.
	 * @param <T> the type to read
	 * @param request the request
	 * @param type the type to read
	 * @return the value
	 * @throws RejectedInputException when the content type is not JSON
	 * ({@link Rejection#UNSUPPORTED}), or the body is missing or not JSON of that type
	 * ({@link Rejection#INVALID})
	 */
	static <T> T readJson(HttpRequestMessage<Optional<String>> request, Class<T> type) {
		return HttpJson.read(header(request, "content-type"), () -> {
			Optional<String> body = request.getBody();
			return (body != null) ? body.orElse(null) : null;
		}, type);
	}

	/**
	 * A request header, whatever the case of its name.
	 * @param request the request
	 * @param name the header's name
	 * @return its value, or {@code null} when absent
	 */
	static @Nullable String header(HttpRequestMessage<?> request, String name) {
		return HttpJson.valueIgnoringCase(request.getHeaders(), name);
	}

	/**
	 * A query parameter, whatever the case of its name.
	 * @param request the request
	 * @param name the parameter's name
	 * @return its value, or {@code null} when absent
	 */
	static @Nullable String query(HttpRequestMessage<?> request, String name) {
		return HttpJson.valueIgnoringCase(request.getQueryParameters(), name);
	}

	/**
	 * A JSON answer, by {@link HttpJson#json}.
	 * @param request the request answered
	 * @param status the HTTP status
	 * @param body what to write as JSON
	 * @return the response
	 */
	static HttpResponseMessage json(HttpRequestMessage<?> request, int status, Object body) {
		return response(request, HttpJson.json(status, body));
	}

	/**
	 * The problem answer to a failure, by {@link HttpJson#failure}.
	 * @param request the request answered
	 * @param failure what the function threw
	 * @param context the invocation, for the log
	 * @return the response
	 */
	static HttpResponseMessage failure(HttpRequestMessage<?> request, RuntimeException failure,
			ExecutionContext context) {
		return response(request, HttpJson.failure(failure, context.getFunctionName(), context.getInvocationId()));
	}

	private static HttpResponseMessage response(HttpRequestMessage<?> request, HttpReply reply) {
		return request.createResponseBuilder(HttpStatusType.custom(reply.status()))
			.header("Content-Type", reply.contentType())
			.body(reply.body())
			.build();
	}

}
