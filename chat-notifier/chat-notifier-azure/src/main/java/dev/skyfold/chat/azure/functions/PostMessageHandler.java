package dev.skyfold.chat.azure.functions;

import java.util.Optional;
import java.util.function.Function;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.annotation.AuthorizationLevel;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.HttpTrigger;
import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.http.VouchedCaller;
import dev.skyfold.kernel.access.RoleClaims;

/**
 * The {@code postMessage} Azure function: {@code POST /api/messages} with a
 * {@link PostMessage} as JSON hands it to the core's function and answers 201 with the
 * stored message as JSON; the message is broadcast by the core (through FCM when
 * enabled). App Service Authentication must vouch for the caller in
 * {@code X-MS-CLIENT-PRINCIPAL} (else 401), whose roles must allow posting
 * ({@link ChatOperation#POST_MESSAGE}, else 403); nothing is stored on a refusal. The
 * author is the caller's name from those claims ({@link AuthorClaims}), whatever the body
 * says; without any of those claims, the body names the author. Bad input is answered
 * with a problem: 400 for invalid or malformed JSON or a malformed
 * {@code X-MS-CLIENT-PRINCIPAL}, 413 for over-long text, 415 for a body that is not JSON.
 * Callers need a function key.
 */
public class PostMessageHandler {

	private final Function<PostMessage, ChatMessage> postMessage;

	private final RoleClaims roles;

	/**
	 * Creates the handler.
	 * @param postMessage the core's {@code postMessage}
	 * @param roles how the caller's roles are read from its claims
	 */
	public PostMessageHandler(Function<PostMessage, ChatMessage> postMessage, RoleClaims roles) {
		this.postMessage = postMessage;
		this.roles = roles;
	}

	/**
	 * Posts a message.
	 * @param request the HTTP request
	 * @param context the invocation
	 * @return the response
	 */
	@FunctionName("postMessage")
	public HttpResponseMessage run(
			@HttpTrigger(name = "request", methods = HttpMethod.POST, route = "messages",
					authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
			ExecutionContext context) {
		try {
			VouchedCaller caller = ClientPrincipal.caller(request, this.roles);
			caller.check(ChatOperation.POST_MESSAGE);
			PostMessage post = HttpFunctions.readJson(request, PostMessage.class);
			if (caller.author() != null) {
				post = post.withAuthor(caller.author());
			}
			return HttpFunctions.json(request, 201, this.postMessage.apply(post));
		}
		catch (RuntimeException ex) {
			return HttpFunctions.failure(request, ex, context);
		}
	}

}
