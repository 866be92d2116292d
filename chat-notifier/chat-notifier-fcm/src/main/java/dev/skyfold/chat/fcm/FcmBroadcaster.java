package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.time.Duration;
import java.time.format.DateTimeFormatter;
import java.util.LinkedHashMap;
import java.util.Map;

import com.google.auth.Retryable;
import com.google.firebase.ErrorCode;
import com.google.firebase.messaging.FirebaseMessaging;
import com.google.firebase.messaging.FirebaseMessagingException;
import com.google.firebase.messaging.Message;
import com.google.firebase.messaging.MessagingErrorCode;
import com.google.firebase.messaging.Notification;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.Broadcaster;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pushes each chat message to the FCM topic named after its room: a notification (a fixed
 * title, the text cut short as its body) with the message's fields as data. A failure is
 * transient when FCM was overloaded, failing or unreachable, and permanent when it
 * refused the message.
 */
public class FcmBroadcaster implements Broadcaster {

	/** The broadcaster's name in logs, metrics and broadcast results. */
	public static final String NAME = "fcm";

	/** The most bytes FCM takes in a message's notification and data. */
	static final int MAX_PAYLOAD_BYTES = 4096;

	/** The data field set when the text had to be cut to fit a message. */
	static final String TRUNCATED = "truncated";

	private static final String ELLIPSIS = "…";

	private static final Logger log = LoggerFactory.getLogger(FcmBroadcaster.class);

	private final FirebaseMessaging messaging;

	private final String title;

	private final int bodyLength;

	private final Duration longestAttempt;

	/**
	 * Creates a broadcaster whose attempts have no known bound.
	 * @param messaging the Firebase messaging client to send through
	 * @param title the notification title
	 * @param bodyLength the longest notification body, in characters (at least 2)
	 */
	public FcmBroadcaster(FirebaseMessaging messaging, String title, int bodyLength) {
		this(messaging, title, bodyLength, Duration.ZERO);
	}

	/**
	 * Creates a broadcaster.
	 * @param messaging the Firebase messaging client to send through
	 * @param title the notification title
	 * @param bodyLength the longest notification body, in characters (at least 2)
	 * @param longestAttempt the longest one send may take, from the client's timeouts
	 */
	public FcmBroadcaster(FirebaseMessaging messaging, String title, int bodyLength, Duration longestAttempt) {
		if (title.isBlank()) {
			throw new IllegalArgumentException("The notification title must not be blank");
		}
		if (bodyLength < 2) {
			throw new IllegalArgumentException("The notification body length must be at least 2, not " + bodyLength);
		}
		this.messaging = messaging;
		this.title = title;
		this.bodyLength = bodyLength;
		this.longestAttempt = longestAttempt;
	}

	@Override
	public Duration longestAttempt() {
		return this.longestAttempt;
	}

	@Override
	public void broadcast(ChatMessage message) {
		Message push;
		try {
			push = toMessage(message);
		}
		catch (IllegalArgumentException ex) {
			throw new BroadcastException("Message " + message.id() + " cannot be sent to FCM: " + ex.getMessage(),
					false, ex);
		}
		try {
			String name = this.messaging.send(push);
			log.atDebug()
				.addKeyValue("broadcaster", NAME)
				.addKeyValue("room", message.room())
				.addKeyValue("messageId", message.id())
				.log("Sent message {} to FCM topic {} as {}", message.id(), message.room(), name);
		}
		catch (FirebaseMessagingException ex) {
			MessagingErrorCode messagingCode = ex.getMessagingErrorCode();
			throw new BroadcastException("FCM did not take message " + message.id() + " for topic " + message.room()
					+ " (" + ex.getErrorCode() + ((messagingCode != null) ? ", " + messagingCode : "") + "): "
					+ ex.getMessage(), isTransient(ex), ex);
		}
	}

	@Override
	public String name() {
		return NAME;
	}

	/**
	 * Maps a chat message to an FCM message for its room's topic. The data carries the
	 * whole text unless that would take the message over FCM's size limit: then the text
	 * is cut to fit and the {@value #TRUNCATED} field says so.
	 * @param message the chat message
	 * @return the FCM message
	 */
	Message toMessage(ChatMessage message) {
		String body = cut(message.text(), this.bodyLength);
		Map<String, String> data = new LinkedHashMap<>();
		data.put("id", message.id());
		data.put("room", message.room());
		data.put("author", message.author());
		data.put("createdAt", DateTimeFormatter.ISO_INSTANT.format(message.createdAt()));
		int room = MAX_PAYLOAD_BYTES - utf8Length(this.title) - utf8Length(body) - utf8Length("text");
		for (Map.Entry<String, String> field : data.entrySet()) {
			room -= utf8Length(field.getKey()) + utf8Length(field.getValue());
		}
		String text = message.text();
		if (utf8Length(text) > room) {
			text = cutToBytes(text, room - utf8Length(TRUNCATED) - utf8Length("true"));
			data.put(TRUNCATED, "true");
		}
		data.put("text", text);
		return Message.builder()
			.setTopic(topic(message.room()))
			.setNotification(Notification.builder().setTitle(this.title).setBody(body).build())
			.putAllData(data)
			.build();
	}

	/**
	 * The FCM topic of a room, which its messages are sent to and its devices subscribed
	 * to: the room's name itself, which {@link dev.skyfold.chat.domain.Rooms} keeps to
	 * characters a topic name allows.
	 * @param room the room
	 * @return the topic, without {@code /topics/}
	 */
	static String topic(String room) {
		return room;
	}

	/**
	 * Whether an FCM failure may go away when the message is sent again.
	 * @param failure the failure
	 * @return {@code true} for overload, server errors and network failures
	 */
	static boolean isTransient(FirebaseMessagingException failure) {
		return isTransient(failure.getErrorCode(), failure.getMessagingErrorCode(), failure.getCause(),
				failure.getHttpResponse() != null);
	}

	/**
	 * Whether an FCM failure may go away when the message is sent again. FCM's own error
	 * code decides when it sent one; else, for a failure without an answer, the network
	 * or token error; else the general error code. Codes this class does not know are
	 * permanent.
	 * @param code the general error code
	 * @param messagingCode FCM's error code, if it sent one
	 * @param cause the failure's cause, if any
	 * @param answered whether FCM answered at all
	 * @return {@code true} when trying again may succeed
	 */
	static boolean isTransient(ErrorCode code, @Nullable MessagingErrorCode messagingCode, @Nullable Throwable cause,
			boolean answered) {
		if (messagingCode != null) {
			return switch (messagingCode) {
				case UNAVAILABLE, INTERNAL, QUOTA_EXCEEDED -> true;
				default -> false;
			};
		}
		if (!answered) {
			Retryable token = find(cause, Retryable.class);
			if (token != null) {
				return token.isRetryable();
			}
			if (find(cause, IOException.class) != null) {
				return true;
			}
		}
		return switch (code) {
			case UNAVAILABLE, INTERNAL, RESOURCE_EXHAUSTED, DEADLINE_EXCEEDED, ABORTED -> true;
			default -> false;
		};
	}

	private static <T> @Nullable T find(@Nullable Throwable failure, Class<T> type) {
		Throwable cause = failure;
		// Bounded, since a chain of causes may loop.
		for (int depth = 0; cause != null && depth < 32; depth++, cause = cause.getCause()) {
			if (type.isInstance(cause)) {
				return type.cast(cause);
			}
		}
		return null;
	}

	/**
	 * Cuts a text to at most a number of characters (code points), ending a cut text with
	 * an ellipsis.
	 * @param text the text
	 * @param maxLength the most characters, at least 2
	 * @return the text, or its beginning and an ellipsis
	 */
	static String cut(String text, int maxLength) {
		if (text.codePointCount(0, text.length()) <= maxLength) {
			return text;
		}
		return text.substring(0, text.offsetByCodePoints(0, maxLength - 1)).stripTrailing() + ELLIPSIS;
	}

	/**
	 * Cuts a text to at most a number of UTF-8 bytes, on a character boundary, ending
	 * with an ellipsis.
	 * @param text the text
	 * @param maxBytes the most bytes, ellipsis included
	 * @return the text's beginning and an ellipsis
	 */
	static String cutToBytes(String text, int maxBytes) {
		int budget = maxBytes - utf8Length(ELLIPSIS);
		int bytes = 0;
		int end = 0;
		while (end < text.length()) {
			int codePoint = text.codePointAt(end);
			bytes += utf8Length(codePoint);
			if (bytes > budget) {
				break;
			}
			end += Character.charCount(codePoint);
		}
		return text.substring(0, end).stripTrailing() + ELLIPSIS;
	}

	private static int utf8Length(String text) {
		return text.codePoints().map(FcmBroadcaster::utf8Length).sum();
	}

	private static int utf8Length(int codePoint) {
		if (codePoint < 0x80) {
			return 1;
		}
		if (codePoint < 0x800) {
			return 2;
		}
		return (codePoint < 0x10000) ? 3 : 4;
	}

}
