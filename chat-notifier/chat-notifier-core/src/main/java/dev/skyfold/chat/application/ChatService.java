package dev.skyfold.chat.application;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.domain.Rooms;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStore.Saved;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code postMessage} and {@code messageHistory} do, in every host: posts a message
 * and reads a room's history. Hosts call it through the core's functions, or wrap its
 * methods in functions of their own event shapes.
 */
public class ChatService {

	/** The most messages one history request returns. */
	public static final int MAX_HISTORY_LIMIT = 200;

	/**
	 * The meter counting messages stored (a repeated post is not counted), on every host.
	 */
	public static final String MESSAGES_STORED = "skyfold.chat.messages.stored";

	private static final Logger log = LoggerFactory.getLogger(ChatService.class);

	private final MessageStore store;

	private final BroadcastService broadcasts;

	private final int defaultHistoryLimit;

	private final Clock clock;

	private final Counter stored;

	/**
	 * Creates the service as every host runs it: stamping messages with the system clock,
	 * in UTC.
	 * @param store where messages are stored
	 * @param broadcasts the broadcast path
	 * @param defaultHistoryLimit how many messages a history request without a limit
	 * returns, 1 to {@value #MAX_HISTORY_LIMIT}
	 */
	public ChatService(MessageStore store, BroadcastService broadcasts, int defaultHistoryLimit) {
		this(store, broadcasts, defaultHistoryLimit, Clock.systemUTC());
	}

	/**
	 * Creates the service with its own clock.
	 * @param store where messages are stored
	 * @param broadcasts the broadcast path
	 * @param defaultHistoryLimit how many messages a history request without a limit
	 * returns, 1 to {@value #MAX_HISTORY_LIMIT}
	 * @param clock what stamps messages
	 */
	public ChatService(MessageStore store, BroadcastService broadcasts, int defaultHistoryLimit, Clock clock) {
		this(store, broadcasts, defaultHistoryLimit, clock, Metrics.globalRegistry);
	}

	/**
	 * Creates the service with its own clock and meters.
	 * @param store where messages are stored
	 * @param broadcasts the broadcast path
	 * @param defaultHistoryLimit how many messages a history request without a limit
	 * returns, 1 to {@value #MAX_HISTORY_LIMIT}
	 * @param clock what stamps messages
	 * @param meters where {@value #MESSAGES_STORED} is counted
	 */
	public ChatService(MessageStore store, BroadcastService broadcasts, int defaultHistoryLimit, Clock clock,
			MeterRegistry meters) {
		if (defaultHistoryLimit < 1 || defaultHistoryLimit > MAX_HISTORY_LIMIT) {
			throw new IllegalArgumentException("The default limit must be 1 to " + MAX_HISTORY_LIMIT);
		}
		this.store = store;
		this.broadcasts = broadcasts;
		this.defaultHistoryLimit = defaultHistoryLimit;
		this.clock = clock;
		this.stored = Counter.builder(MESSAGES_STORED).description("Chat messages stored").register(meters);
	}

	/**
	 * Checks a posted message, stores it, then broadcasts it to its room. Storing comes
	 * first, so a failed broadcast never loses a message; a message posted again with the
	 * same client message id is returned as first stored, and neither stored nor
	 * broadcast again.
	 * @param post the posted message
	 * @return the stored message
	 * @throws RejectedInputException when the message is not valid
	 */
	public ChatMessage post(PostMessage post) {
		NewMessage message = NewMessage.from(post);
		// Microseconds: what every supported database keeps, so a read equals the write.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		Saved saved = this.store.save(message, UUID.randomUUID().toString(), now);
		log.atInfo()
			.addKeyValue("function", PostMessageFunction.NAME)
			.addKeyValue("room", message.room())
			.addKeyValue("messageId", saved.message().id())
			.addKeyValue("outcome", saved.created() ? "stored" : "duplicate")
			.log(saved.created() ? "Stored message {} in {}" : "Message {} in {} was posted before",
					saved.message().id(), message.room());
		if (saved.created()) {
			this.stored.increment();
			this.broadcasts.broadcast(saved.message());
		}
		return saved.message();
	}

	/**
	 * A room's latest messages, oldest first, optionally before an instant, or before a
	 * message ({@code before} and {@code beforeId}), to page back. A room nobody wrote in
	 * has an empty history.
	 * @param request the room, and where and how far to read
	 * @return the messages
	 * @throws RejectedInputException when the room, the position or the limit is not
	 * valid
	 */
	public MessageHistory history(HistoryRequest request) {
		String room = Rooms.check(request.room());
		Integer limit = request.limit();
		if (limit != null && (limit < 1 || limit > MAX_HISTORY_LIMIT)) {
			throw new RejectedInputException(Rejection.INVALID,
					"The limit must be 1 to " + MAX_HISTORY_LIMIT + ", not " + limit);
		}
		return new MessageHistory(room,
				this.store.latest(room, request.position(), (limit != null) ? limit : this.defaultHistoryLimit));
	}

}
