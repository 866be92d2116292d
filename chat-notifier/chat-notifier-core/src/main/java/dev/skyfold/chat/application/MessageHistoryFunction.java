package dev.skyfold.chat.application;

import java.util.function.Function;

import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.domain.Rooms;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;

/**
 * The {@code messageHistory} function: a room's latest messages, oldest first, optionally
 * before an instant, or before a message ({@code before} and {@code beforeId}), to page
 * back. A room nobody wrote in has an empty history.
 */
public class MessageHistoryFunction implements Function<HistoryRequest, MessageHistory> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "messageHistory";

	/** The most messages one request returns. */
	public static final int MAX_LIMIT = 200;

	private final MessageStore store;

	private final int defaultLimit;

	public MessageHistoryFunction(MessageStore store, int defaultLimit) {
		if (defaultLimit < 1 || defaultLimit > MAX_LIMIT) {
			throw new IllegalArgumentException("The default limit must be 1 to " + MAX_LIMIT);
		}
		this.store = store;
		this.defaultLimit = defaultLimit;
	}

	@Override
	public MessageHistory apply(HistoryRequest request) {
		String room = Rooms.check(request.room());
		Integer limit = request.limit();
		if (limit != null && (limit < 1 || limit > MAX_LIMIT)) {
			throw new RejectedInputException(Rejection.INVALID,
					"The limit must be 1 to " + MAX_LIMIT + ", not " + limit);
		}
		return new MessageHistory(room,
				this.store.latest(room, request.position(), (limit != null) ? limit : this.defaultLimit));
	}

}
