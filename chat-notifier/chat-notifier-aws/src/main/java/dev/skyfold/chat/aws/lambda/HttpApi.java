package dev.skyfold.chat.aws.lambda;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.skyfold.chat.http.HttpJson;
import dev.skyfold.chat.http.HttpReply;
import dev.skyfold.chat.http.VouchedCaller;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.kernel.access.AccessRefusedException;
import dev.skyfold.kernel.access.RoleClaims;
import org.jspecify.annotations.Nullable;

/**
 * Maps API Gateway's HTTP API events to the core's {@link HttpJson} and back: a request's
 * JSON body, however API Gateway encoded it, and the JSON or problem answer as an API
 * Gateway response.
 */
final class HttpApi {

	private HttpApi() {
	}

	/**
	 * The caller API Gateway's JWT authorizer vouched for, whose role the function
	 * checks.
	 * @param event the request
	 * @param roles how roles are read from the token's claims
	 * @return the caller, or {@code null} for a direct invocation (no HTTP request),
	 * which IAM authorized
	 * @throws AccessRefusedException (401) for a request that came through an HTTP API
	 * route without a JWT authorizer, or whose role claim is malformed
	 */
	static @Nullable VouchedCaller caller(APIGatewayV2HTTPEvent event, RoleClaims roles) {
		APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
		if (context == null || context.getHttp() == null) {
			return null;
		}
		APIGatewayV2HTTPEvent.RequestContext.Authorizer authorizer = context.getAuthorizer();
		if (authorizer == null || authorizer.getJwt() == null || authorizer.getJwt().getClaims() == null) {
			throw AccessRefusedException
				.unauthenticated("The route has no JWT authorizer: the chat API answers signed-in callers only");
		}
		return VouchedCaller.of(authorizer.getJwt().getClaims(), roles);
	}

	/**
	 * Reads a request's body as JSON, by {@link HttpJson#read}.
	 * @param <T> the type to read
	 * @param event the request
	 * @param type the type to read
	 * @return the value
	 * @throws RejectedInputException when the content type is not JSON
	 * ({@link Rejection#UNSUPPORTED}), or the body is missing, not base64 when it says
	 * so, not UTF-8 or not JSON of that type ({@link Rejection#INVALID})
	 */
	static <T> T readJson(APIGatewayV2HTTPEvent event, Class<T> type) {
		// API Gateway lower-cases header names; a test event or a direct invoke may not.
		return HttpJson.read(HttpJson.valueIgnoringCase(event.getHeaders(), "content-type"), () -> body(event), type);
	}

	/**
	 * The request's body as text: decoded from base64 when API Gateway encoded it.
	 * @param event the request
	 * @return the body, empty when there is none
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when the body is not
	 * valid base64 or UTF-8
	 */
	private static String body(APIGatewayV2HTTPEvent event) {
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
	 * A JSON answer, by {@link HttpJson#json}.
	 * @param status the HTTP status
	 * @param body what to write as JSON
	 * @return the response
	 */
	static APIGatewayV2HTTPResponse json(int status, Object body) {
		return response(HttpJson.json(status, body));
	}

	/**
	 * The problem answer to a failure, by {@link HttpJson#failure}.
	 * @param failure what the function threw
	 * @param function the function's name, for the log
	 * @return the response
	 */
	static APIGatewayV2HTTPResponse failure(RuntimeException failure, String function) {
		return response(HttpJson.failure(failure, function, null));
	}

	private static APIGatewayV2HTTPResponse response(HttpReply reply) {
		return APIGatewayV2HTTPResponse.builder()
			.withStatusCode(reply.status())
			.withHeaders(Map.of("Content-Type", reply.contentType()))
			// Empty rather than null, for any serializer that writes nulls.
			.withMultiValueHeaders(Map.of())
			.withCookies(List.of())
			.withBody(reply.body())
			.withIsBase64Encoded(false)
			.build();
	}

}
