package dev.skyfold.local.chat;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import dev.skyfold.chat.domain.ChatMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This instance's hub of live subscribers, such as the rooms' live streams: hands each
 * message it is given to the listeners of its room. A listener that throws is logged and
 * does not stop the others.
 */
public final class RoomHub {

	private static final Logger log = LoggerFactory.getLogger(RoomHub.class);

	private final Map<String, Set<Consumer<ChatMessage>>> listeners = new ConcurrentHashMap<>();

	private final List<Consumer<Instant>> gapListeners = new CopyOnWriteArrayList<>();

	/**
	 * Hands a message to its room's listeners, on this thread.
	 * @param message the message
	 */
	public void deliver(ChatMessage message) {
		for (Consumer<ChatMessage> listener : this.listeners.getOrDefault(message.room(), Set.of())) {
			try {
				listener.accept(message);
			}
			catch (RuntimeException ex) {
				log.debug("A listener of room {} failed: {}", message.room(), ex.toString());
			}
		}
	}

	/**
	 * Says that messages stored since an instant may not have been delivered, such as
	 * while the relay between instances was down, so that listeners catch up from the
	 * history.
	 * @param since the earliest instant a missed message may have
	 */
	public void missed(Instant since) {
		for (Consumer<Instant> listener : this.gapListeners) {
			try {
				listener.accept(since);
			}
			catch (RuntimeException ex) {
				log.debug("A gap listener failed: {}", ex.toString());
			}
		}
	}

	/**
	 * Listens to {@link #missed(Instant)}, in every room, for as long as the hub lives.
	 * @param listener called with the earliest instant a missed message may have
	 */
	public void onMissed(Consumer<Instant> listener) {
		this.gapListeners.add(listener);
	}

	/**
	 * Listens to a room's messages until the subscription is closed.
	 * @param room the room
	 * @param listener called with each message delivered to the room, on the delivering
	 * thread
	 * @return the subscription; close it to stop listening
	 */
	public Subscription subscribe(String room, Consumer<ChatMessage> listener) {
		// Added inside compute: the last listener leaving may drop the room's set
		// meanwhile, and a listener added to a dropped set would hear nothing.
		this.listeners.compute(room, (key, roomListeners) -> {
			Set<Consumer<ChatMessage>> updated = (roomListeners != null) ? roomListeners
					: ConcurrentHashMap.newKeySet();
			updated.add(listener);
			return updated;
		});
		return () -> this.listeners.computeIfPresent(room, (key, roomListeners) -> {
			roomListeners.remove(listener);
			return roomListeners.isEmpty() ? null : roomListeners;
		});
	}

	/**
	 * How many listeners a room has.
	 * @param room the room
	 * @return the number of listeners
	 */
	public int listenerCount(String room) {
		return this.listeners.getOrDefault(room, Set.of()).size();
	}

	/**
	 * A room subscription; closing it twice is harmless.
	 */
	@FunctionalInterface
	public interface Subscription extends AutoCloseable {

		@Override
		void close();

	}

}
