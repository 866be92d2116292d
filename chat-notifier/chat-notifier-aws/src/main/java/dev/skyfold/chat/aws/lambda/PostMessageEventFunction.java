package dev.skyfold.chat.aws.lambda;

import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.PostMessage;
import org.jspecify.annotations.Nullable;

/**
 * The {@code postMessage} function behind an API Gateway HTTP API (payload format 2.0):
 * reads the {@link PostMessage} JSON from the request body (base64-decoded when API
 * Gateway encoded it), hands it to the core's chat service and answers 201 with the
 * stored message as JSON. When a JWT authorizer vouched for the caller, the author is the
 * caller's name from the token ({@link AuthorClaims}), whatever the body says. Bad input
 * is answered with a problem: 400 for invalid or malformed JSON, 413 for over-long text,
 * 415 for a body that is not JSON.
 */
public class PostMessageEventFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

	private static final String NAME = "postMessage";

	private final Function<PostMessage, ChatMessage> postMessage;

	/**
	 * Creates the function.
	 * @param postMessage what {@code postMessage} does: the core's chat service's post
	 */
	public PostMessageEventFunction(Function<PostMessage, ChatMessage> postMessage) {
		this.postMessage = postMessage;
	}

	@Override
	public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
		try {
			PostMessage post = HttpApi.readJson(event, PostMessage.class);
			String author = author(event);
			if (author != null) {
				post = post.withAuthor(author);
			}
			return HttpApi.json(201, this.postMessage.apply(post));
		}
		catch (RuntimeException ex) {
			return HttpApi.failure(ex, NAME);
		}
	}

	/**
	 * The author a JWT authorizer vouched for: the first of
	 * {@link AuthorClaims#AUTHOR_CLAIMS} the token has.
	 * @param event the request
	 * @return the author, or {@code null} without a JWT or any of those claims
	 */
	static @Nullable String author(APIGatewayV2HTTPEvent event) {
		APIGatewayV2HTTPEvent.RequestContext context = event.getRequestContext();
		if (context == null || context.getAuthorizer() == null || context.getAuthorizer().getJwt() == null) {
			return null;
		}
		Map<String, String> claims = context.getAuthorizer().getJwt().getClaims();
		if (claims == null) {
			return null;
		}
		return AuthorClaims.author(claims::get);
	}

}
