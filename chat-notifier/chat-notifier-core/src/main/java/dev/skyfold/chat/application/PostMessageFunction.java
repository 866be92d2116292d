package dev.skyfold.chat.application;

import java.util.function.Function;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.PostMessage;

/**
 * The {@code postMessage} function: checks a posted message, stores it, then broadcasts
 * it to its room, by {@link ChatService#post}.
 */
public class PostMessageFunction implements Function<PostMessage, ChatMessage> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "postMessage";

	private final ChatService chat;

	public PostMessageFunction(ChatService chat) {
		this.chat = chat;
	}

	@Override
	public ChatMessage apply(PostMessage post) {
		return this.chat.post(post);
	}

}
