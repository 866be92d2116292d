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
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;

/**
 * The {@code messageHistory} Azure function:
 * {@code GET /api/messages?room=general&before=2026-03-01T12:00:00Z&beforeId=…&limit=50}
 * answers 200 with the room's {@link MessageHistory} as JSON, oldest message first. The
 * query's {@code room} is required; {@code before} (an ISO-8601 instant),
 * {@code beforeId} (with {@code before}: the id of the message to page back from) and
 * {@code limit} are optional; a bad one is answered with a 400 problem. Callers need a
 * function key.
 */
public class MessageHistoryHandler {

	private final Function<HistoryRequest, MessageHistory> messageHistory;

	/**
	 * Creates the handler.
	 * @param messageHistory the core's {@code messageHistory}
	 */
	public MessageHistoryHandler(Function<HistoryRequest, MessageHistory> messageHistory) {
		this.messageHistory = messageHistory;
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
