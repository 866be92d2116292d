package dev.skyfold.chat.aws.lambda;

import java.util.Map;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.http.VouchedCaller;
import dev.skyfold.kernel.access.RoleClaims;

/**
 * The {@code messageHistory} function behind an API Gateway HTTP API (payload format
 * 2.0):
 * {@code GET /messages?room=general&before=2026-03-01T12:00:00Z&beforeId=…&limit=50}
 * answers 200 with the room's {@link MessageHistory} as JSON, oldest message first. The
 * query's {@code room} is required; {@code before} (an ISO-8601 instant),
 * {@code beforeId} (with {@code before}: the id of the message to page back from) and
 * {@code limit} are optional; a bad one is answered with a 400 problem. The JWT
 * authorizer's caller must hold the role reading needs
 * ({@link ChatOperation#READ_HISTORY}), else the answer is a 403 problem.
 */
public class MessageHistoryEventFunction implements Function<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

	private static final String NAME = "messageHistory";

	private final Function<HistoryRequest, MessageHistory> messageHistory;

	private final RoleClaims roles;

	/**
	 * Creates the function.
	 * @param messageHistory what {@code messageHistory} does: the core's chat service's
	 * history
	 * @param roles how the caller's roles are read from its token
	 */
	public MessageHistoryEventFunction(Function<HistoryRequest, MessageHistory> messageHistory, RoleClaims roles) {
		this.messageHistory = messageHistory;
		this.roles = roles;
	}

	@Override
	public APIGatewayV2HTTPResponse apply(APIGatewayV2HTTPEvent event) {
		try {
			VouchedCaller caller = HttpApi.caller(event, this.roles);
			if (caller != null) {
				caller.check(ChatOperation.READ_HISTORY);
			}
			Map<String, String> query = (event.getQueryStringParameters() != null) ? event.getQueryStringParameters()
					: Map.of();
			HistoryRequest request = HistoryRequest.fromQuery(query.get("room"), query.get("before"),
					query.get("beforeId"), query.get("limit"));
			return HttpApi.json(200, this.messageHistory.apply(request));
		}
		catch (RuntimeException ex) {
			return HttpApi.failure(ex, NAME);
		}
	}

}
