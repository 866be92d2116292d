package dev.skyfold.chat.gcp.functions;

import java.util.function.Function;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.http.HttpJson;
import dev.skyfold.chat.http.VouchedCaller;
import dev.skyfold.kernel.access.BearerTokens;
import dev.skyfold.kernel.access.RoleClaims;

/**
 * The {@code postMessage} Google Cloud function: {@code POST} with a {@link PostMessage}
 * as JSON hands it to the core's function and answers 201 with the stored message as
 * JSON. The caller's bearer token (a Firebase Authentication or Google ID token) must
 * verify (else 401) and its roles allow posting ({@link ChatOperation#POST_MESSAGE}, else
 * 403); nothing is stored on a refusal. The author is the caller's name from the token's
 * claims, whatever the body says. Bad input is a problem: 400 for invalid or malformed
 * JSON, 413 for over-long text, 415 for a body that is not JSON, 405 for another method.
 * The message is broadcast when Firestore reports its document created
 * ({@code broadcastMessage}).
 */
public class PostMessageHandler implements HttpFunction {

	private static final String NAME = "postMessage";

	private final Function<PostMessage, ChatMessage> postMessage;

	private final BearerTokens tokens;

	private final RoleClaims roles;

	/**
	 * Creates the handler.
	 * @param postMessage the core's {@code postMessage}
	 * @param tokens the verifier of the callers' tokens
	 * @param roles how the caller's roles are read from its claims
	 */
	public PostMessageHandler(Function<PostMessage, ChatMessage> postMessage, BearerTokens tokens, RoleClaims roles) {
		this.postMessage = postMessage;
		this.tokens = tokens;
		this.roles = roles;
	}

	@Override
	public void service(HttpRequest request, HttpResponse response) {
		HttpExchange exchange = new HttpExchange(request, response);
		if (!exchange.allows("POST")) {
			return;
		}
		try {
			VouchedCaller caller = exchange.caller(this.tokens, this.roles);
			caller.check(ChatOperation.POST_MESSAGE);
			PostMessage post = exchange.json(PostMessage.class);
			if (caller.author() != null) {
				post = post.withAuthor(caller.author());
			}
			exchange.send(HttpJson.json(201, this.postMessage.apply(post)));
		}
		catch (RuntimeException ex) {
			exchange.fail(ex, NAME);
		}
	}

}
