package dev.skyfold.chat.aws.lambda;

import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.http.VouchedCaller;
import dev.skyfold.kernel.access.RoleClaims;

/**
 * The {@code postMessage} function behind an API Gateway HTTP API (payload format 2.0):
 * reads the {@link PostMessage} JSON from the request body (base64-decoded when API
 * Gateway encoded it), hands it to the core's chat service and answers 201 with the
 * stored message as JSON. The JWT authorizer's caller must hold the role posting needs
 * ({@link ChatOperation#POST_MESSAGE}), else the answer is a 403 problem and nothing is
 * stored; the author is the caller's name from the token ({@link AuthorClaims}), whatever
 * the body says. A request through the HTTP API without a JWT authorizer is a 401; a
 * direct invocation, which IAM authorized, keeps the body's author. Bad input is answered
 * with a problem: 400 for invalid or malformed JSON, 413 for over-long text, 415 for a
 * body that is not JSON.
 */
public class PostMessageEventFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

	private static final String NAME = "postMessage";

	private final Function<PostMessage, ChatMessage> postMessage;

	private final RoleClaims roles;

	/**
	 * Creates the function.
	 * @param postMessage what {@code postMessage} does: the core's chat service's post
	 * @param roles how the caller's roles are read from its token
	 */
	public PostMessageEventFunction(Function<PostMessage, ChatMessage> postMessage, RoleClaims roles) {
		this.postMessage = postMessage;
		this.roles = roles;
	}

	@Override
	public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
		try {
			VouchedCaller caller = HttpApi.caller(event, this.roles);
			if (caller != null) {
				caller.check(ChatOperation.POST_MESSAGE);
			}
			PostMessage post = HttpApi.readJson(event, PostMessage.class);
			if (caller != null && caller.author() != null) {
				post = post.withAuthor(caller.author());
			}
			return HttpApi.json(201, this.postMessage.apply(post));
		}
		catch (RuntimeException ex) {
			return HttpApi.failure(ex, NAME);
		}
	}

}
