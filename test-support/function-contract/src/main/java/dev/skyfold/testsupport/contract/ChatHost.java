package dev.skyfold.testsupport.contract;

import java.util.List;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * A host's driver for the chat functions: it turns a contract call into the host's native
 * invocation and the answer back into an {@link Answer}, and tells what reached a room's
 * subscribers.
 */
public interface ChatHost {

	/**
	 * The host this driver runs the functions on.
	 * @return the host
	 */
	Host host();

	/**
	 * The author the host stamps on a message this caller posts.
	 * @param caller a signed-in caller
	 * @return the caller's identity, or {@code null} where the host has no caller and
	 * keeps the author the message names
	 */
	@Nullable String author(Caller caller);

	/**
	 * Calls {@code postMessage} with a body as a client would send it.
	 * @param caller who calls
	 * @param body the body ({@code {room, author, text, clientMessageId?}} as JSON, or
	 * anything else to test refusals)
	 * @param contentType the body's content type
	 * @return the stored message as {@code {id, room, author, text, createdAt}}, or the
	 * refusal
	 */
	Answer postMessage(Caller caller, String body, String contentType);

	/**
	 * Calls {@code messageHistory}.
	 * @param caller who calls
	 * @param query what to read
	 * @return {@code {room, messages[]}}, or the refusal
	 */
	Answer messageHistory(Caller caller, HistoryQuery query);

	/**
	 * Calls {@code broadcastMessage} the host's native way, where it exposes it.
	 * @param caller who calls, where the trigger has a caller; ignored otherwise
	 * @param message a stored message, {@code {id, room, author, text, createdAt}}
	 * @return what the host answered (a broadcast result, a batch answer), or the refusal
	 */
	Answer broadcastMessage(Caller caller, JsonNode message);

	/**
	 * Starts collecting what is sent to a room's subscribers (a live stream, an FCM
	 * topic), before the contract posts or broadcasts to it.
	 * @param room the room
	 */
	void listen(String room);

	/**
	 * What has been sent to the room's subscribers since {@link #listen(String)}.
	 * @param room the room
	 * @return the texts of the messages sent, in order
	 */
	List<String> pushed(String room);

	/**
	 * What to read of a room's history; fields are text so that the contract can send bad
	 * values.
	 *
	 * @param room the room
	 * @param before an instant: only messages before it (or at it, with {@code beforeId})
	 * @param beforeId with {@code before}: the message id to page back from
	 * @param limit how many messages at most
	 */
	record HistoryQuery(String room, @Nullable String before, @Nullable String beforeId, @Nullable String limit) {

		/**
		 * The newest messages of a room, up to the default limit.
		 * @param room the room
		 * @return the query
		 */
		public static HistoryQuery of(String room) {
			return new HistoryQuery(room, null, null, null);
		}

	}

}
