package dev.skyfold.chat.gcp.functions;

import java.util.function.Function;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.http.HttpJson;
import dev.skyfold.kernel.access.BearerTokens;
import dev.skyfold.kernel.access.RoleClaims;

/**
 * The {@code messageHistory} Google Cloud function:
 * {@code GET ?room=&before=&beforeId=&limit=} answers 200 with the room's
 * {@link MessageHistory} as JSON, oldest first. The caller's bearer token must verify
 * (else 401) and its roles allow reading ({@link ChatOperation#READ_HISTORY}, else 403);
 * a bad query is a 400 problem, another method a 405.
 */
public class MessageHistoryHandler implements HttpFunction {

	private static final String NAME = "messageHistory";

	private final Function<HistoryRequest, MessageHistory> messageHistory;

	private final BearerTokens tokens;

	private final RoleClaims roles;

	/**
	 * Creates the handler.
	 * @param messageHistory the core's {@code messageHistory}
	 * @param tokens the verifier of the callers' tokens
	 * @param roles how the caller's roles are read from its claims
	 */
	public MessageHistoryHandler(Function<HistoryRequest, MessageHistory> messageHistory, BearerTokens tokens,
			RoleClaims roles) {
		this.messageHistory = messageHistory;
		this.tokens = tokens;
		this.roles = roles;
	}

	@Override
	public void service(HttpRequest request, HttpResponse response) {
		HttpExchange exchange = new HttpExchange(request, response);
		if (!exchange.allows("GET")) {
			return;
		}
		try {
			exchange.caller(this.tokens, this.roles).check(ChatOperation.READ_HISTORY);
			HistoryRequest history = HistoryRequest.fromQuery(exchange.query("room"), exchange.query("before"),
					exchange.query("beforeId"), exchange.query("limit"));
			exchange.send(HttpJson.json(200, this.messageHistory.apply(history)));
		}
		catch (RuntimeException ex) {
			exchange.fail(ex, NAME);
		}
	}

}
