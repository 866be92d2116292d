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
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.kernel.access.RoleClaims;

/**
 * The {@code messageHistory} Azure function:
 * {@code GET /api/messages?room=general&before=2026-03-01T12:00:00Z&beforeId=…&limit=50}
 * answers 200 with the room's {@link MessageHistory} as JSON, oldest message first. The
 * query's {@code room} is required; {@code before} (an ISO-8601 instant),
 * {@code beforeId} (with {@code before}: the id of the message to page back from) and
 * {@code limit} are optional; a bad one is answered with a 400 problem. App Service
 * Authentication must vouch for the caller (else 401), whose roles must allow reading
 * ({@link ChatOperation#READ_HISTORY}, else 403). Callers need a function key.
 */
public class MessageHistoryHandler {

	private final Function<HistoryRequest, MessageHistory> messageHistory;

	private final RoleClaims roles;

	/**
	 * Creates the handler.
	 * @param messageHistory the core's {@code messageHistory}
	 * @param roles how the caller's roles are read from its claims
	 */
	public MessageHistoryHandler(Function<HistoryRequest, MessageHistory> messageHistory, RoleClaims roles) {
		this.messageHistory = messageHistory;
		this.roles = roles;
	}

	/**
	 * Reads a room's history.
	 * @param request the HTTP request
	 * @param context the invocation
	 * @return the response
	 */
	@FunctionName("messageHistory")
	public HttpResponseMessage run(
			@HttpTrigger(name = "request", methods = HttpMethod.GET, route = "messages",
					authLevel = AuthorizationLevel.FUNCTION) HttpRequestMessage<Optional<String>> request,
			ExecutionContext context) {
		try {
			ClientPrincipal.caller(request, this.roles).check(ChatOperation.READ_HISTORY);
			HistoryRequest history = HistoryRequest.fromQuery(HttpFunctions.query(request, "room"),
					HttpFunctions.query(request, "before"), HttpFunctions.query(request, "beforeId"),
					HttpFunctions.query(request, "limit"));
			return HttpFunctions.json(request, 200, this.messageHistory.apply(history));
		}
		catch (RuntimeException ex) {
			return HttpFunctions.failure(request, ex, context);
		}
	}

}
