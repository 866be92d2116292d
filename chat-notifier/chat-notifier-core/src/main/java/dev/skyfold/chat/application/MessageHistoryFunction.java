package dev.skyfold.chat.application;

import java.util.function.Function;

import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;

/**
 * The {@code messageHistory} function: a room's latest messages, oldest first, paged back
 * by {@code before} and {@code beforeId}, by {@link ChatService#history}.
 */
public class MessageHistoryFunction implements Function<HistoryRequest, MessageHistory> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "messageHistory";

	private final ChatService chat;

	public MessageHistoryFunction(ChatService chat) {
		this.chat = chat;
	}

	@Override
	public MessageHistory apply(HistoryRequest request) {
		return this.chat.history(request);
	}

}
