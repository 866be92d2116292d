package dev.skyfold.chat.application;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;
import java.util.function.Function;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStore.Saved;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code postMessage} function: checks a posted message, stores it, then broadcasts
 * it to its room. Storing comes first, so a failed broadcast never loses a message; a
 * message posted again with the same client message id is returned as first stored, and
 * neither stored nor broadcast again.
 */
public class PostMessageFunction implements Function<PostMessage, ChatMessage> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "postMessage";

	private static final Logger log = LoggerFactory.getLogger(PostMessageFunction.class);

	private final MessageStore store;

	private final BroadcastService broadcasts;

	private final Clock clock;

	/**
	 * Creates the function as every host runs it: stamping messages with the system
	 * clock, in UTC.
	 * @param store where messages are stored
	 * @param broadcasts the broadcast path
	 */
	public PostMessageFunction(MessageStore store, BroadcastService broadcasts) {
		this(store, broadcasts, Clock.systemUTC());
	}

	public PostMessageFunction(MessageStore store, BroadcastService broadcasts, Clock clock) {
		this.store = store;
		this.broadcasts = broadcasts;
		this.clock = clock;
	}

	@Override
	public ChatMessage apply(PostMessage post) {
		NewMessage message = NewMessage.from(post);
		// Microseconds: what every supported database keeps, so a read equals the write.
		Instant now = this.clock.instant().truncatedTo(ChronoUnit.MICROS);
		Saved saved = this.store.save(message, UUID.randomUUID().toString(), now);
		log.atInfo()
			.addKeyValue("function", NAME)
			.addKeyValue("room", message.room())
			.addKeyValue("messageId", saved.message().id())
			.addKeyValue("outcome", saved.created() ? "stored" : "duplicate")
			.log(saved.created() ? "Stored message {} in {}" : "Message {} in {} was posted before",
					saved.message().id(), message.room());
		if (saved.created()) {
			this.broadcasts.broadcast(saved.message());
		}
		return saved.message();
	}

}
