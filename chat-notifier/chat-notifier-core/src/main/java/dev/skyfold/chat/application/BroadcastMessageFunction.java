package dev.skyfold.chat.application;

import java.util.function.Function;

import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;

/**
 * The {@code broadcastMessage} function: a message was stored (a database change stream
 * calls this); broadcast it to its room, by {@link BroadcastService#broadcast}. Returns
 * which broadcasters failed, so a stream host can report just those records for another
 * delivery.
 */
public class BroadcastMessageFunction implements Function<ChatMessage, BroadcastResult> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "broadcastMessage";

	private final BroadcastService broadcasts;

	public BroadcastMessageFunction(BroadcastService broadcasts) {
		this.broadcasts = broadcasts;
	}

	@Override
	public BroadcastResult apply(ChatMessage message) {
		return this.broadcasts.broadcast(message);
	}

}
