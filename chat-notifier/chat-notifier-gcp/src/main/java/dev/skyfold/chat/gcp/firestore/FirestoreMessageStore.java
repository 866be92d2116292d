package dev.skyfold.chat.gcp.firestore;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import com.google.api.core.ApiFuture;
import com.google.api.gax.grpc.GrpcStatusCode;
import com.google.api.gax.rpc.ApiException;
import com.google.api.gax.rpc.DeadlineExceededException;
import com.google.api.gax.rpc.StatusCode;
import com.google.cloud.firestore.CollectionReference;
import com.google.cloud.firestore.DocumentReference;
import com.google.cloud.firestore.DocumentSnapshot;
import com.google.cloud.firestore.Firestore;
import com.google.cloud.firestore.Query;
import com.google.cloud.firestore.QueryDocumentSnapshot;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.domain.Rooms;
import dev.skyfold.chat.port.MessageStore;
import io.grpc.Status;
import org.jspecify.annotations.Nullable;

/**
 * Stores messages in Firestore laid out as {@link MessageDocuments} describes, one
 * document per message, {@code <rooms>/{room}/messages/{key}}. A message posted with a
 * client message id is keyed by it, and written with a create that succeeds only when no
 * document has that key: of concurrent posts one stores, the others read what it stored.
 * So each message's document is created exactly once, and its document-created event,
 * which broadcasts it in the cloud, fires once. History is one strongly consistent query
 * of the room's messages on {@value MessageDocuments#TIME_KEY}, newest first, below the
 * page's position; Firestore's automatic single-field index serves it.
 * <p>
 * Firestore's failures reach the caller as the client reports them, an
 * {@link ApiException} (unavailable, permission denied, ...); a call that takes longer
 * than the store's timeout is abandoned with a {@link DeadlineExceededException}.
 */
public final class FirestoreMessageStore implements MessageStore {

	private final CollectionReference rooms;

	private final @Nullable Duration timeout;

	/**
	 * Creates a store.
	 * @param firestore the client to call Firestore with
	 * @param rooms the root collection of the rooms, such as
	 * {@value MessageDocuments#DEFAULT_ROOMS}
	 * @param timeout how long one call to Firestore may take; {@code null} for the
	 * client's own limits
	 */
	public FirestoreMessageStore(Firestore firestore, String rooms, @Nullable Duration timeout) {
		if (rooms.isBlank() || rooms.contains("/")) {
			throw new IllegalArgumentException(
					"The rooms collection must be a top-level collection, not '" + rooms + "'");
		}
		if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
			throw new IllegalArgumentException("The Firestore timeout must be positive, not " + timeout);
		}
		this.rooms = firestore.collection(rooms);
		this.timeout = timeout;
	}

	/**
	 * The root collection the rooms are stored in.
	 * @return the collection's id
	 */
	public String rooms() {
		return this.rooms.getId();
	}

	@Override
	public Saved save(NewMessage message, String id, Instant createdAt) {
		if (id.isEmpty() || id.length() > HistoryPosition.MAX_ID) {
			// Longer ids would outgrow the 1500 bytes of a string that Firestore orders
			// by.
			throw new IllegalArgumentException(
					"Message ids must be 1 to " + HistoryPosition.MAX_ID + " characters, not '" + id + "'");
		}
		if (createdAt.isBefore(MessageDocuments.EARLIEST) || createdAt.isAfter(MessageDocuments.LATEST)) {
			throw new IllegalArgumentException("Messages are stored from year 0 to 9999, not at " + createdAt);
		}
		DocumentReference document = messages(message.room()).document(MessageDocuments.documentId(message, id));
		ChatMessage stored = new ChatMessage(id, message.room(), message.author(), message.text(), createdAt);
		try {
			await(document.create(MessageDocuments.fields(message, id, createdAt)), "store a message");
			return new Saved(stored, true);
		}
		catch (ApiException ex) {
			if (ex.getStatusCode().getCode() != StatusCode.Code.ALREADY_EXISTS) {
				throw ex;
			}
			return firstStored(document, message, stored, ex);
		}
	}

	/**
	 * The message that holds a document key already: the first post of a client message
	 * id, or, for a message without one, this very message when the client's retry of a
	 * write met the write itself.
	 */
	private Saved firstStored(DocumentReference document, NewMessage message, ChatMessage stored,
			ApiException conflict) {
		DocumentSnapshot existing = await(document.get(), "read a stored message");
		if (!existing.exists()) {
			throw new IllegalStateException("The message with client message id " + message.clientMessageId()
					+ " in room " + message.room() + " was deleted while being posted again", conflict);
		}
		ChatMessage first = message(existing);
		if (message.clientMessageId() == null && !first.equals(stored)) {
			throw new IllegalStateException("Room " + message.room() + " holds a message with id " + stored.id()
					+ " already; message ids must be unique", conflict);
		}
		return new Saved(first, false);
	}

	@Override
	public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
		CollectionReference messages = messages(room);
		if (limit < 1 || (before != null && precedesEveryMessage(before))) {
			return List.of();
		}
		Query query = messages;
		// Any message is stored before an instant past year 9999.
		if (before != null && !before.createdAt().isAfter(MessageDocuments.LATEST)) {
			// The keys below <createdAt>#<id> of the position are exactly the messages
			// before it in history order, and those below <createdAt> the messages
			// stored earlier.
			query = query.whereLessThan(MessageDocuments.TIME_KEY,
					MessageDocuments.timeKey(before.createdAt(), before.id()));
		}
		query = query.orderBy(MessageDocuments.TIME_KEY, Query.Direction.DESCENDING).limit(limit);
		List<ChatMessage> newestFirst = new ArrayList<>();
		for (QueryDocumentSnapshot document : await(query.get(), "read a room's history").getDocuments()) {
			newestFirst.add(message(document));
		}
		Collections.reverse(newestFirst);
		return newestFirst;
	}

	/** Whether no message comes before a position: none is stored before year 0. */
	private static boolean precedesEveryMessage(HistoryPosition position) {
		return (position.id() != null) ? position.createdAt().isBefore(MessageDocuments.EARLIEST)
				: !position.createdAt().isAfter(MessageDocuments.EARLIEST);
	}

	/** A room's messages; the room name becomes a path segment, so it is checked. */
	private CollectionReference messages(String room) {
		return this.rooms.document(Rooms.check(room)).collection(MessageDocuments.MESSAGES);
	}

	private static ChatMessage message(DocumentSnapshot document) {
		return MessageDocuments.message(document::getString);
	}

	/**
	 * Waits for a call to Firestore, for the store's timeout at most, and throws its
	 * failure as the client reported it.
	 */
	private <T> T await(ApiFuture<T> call, String what) {
		try {
			return (this.timeout != null) ? call.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS) : call.get();
		}
		catch (ExecutionException ex) {
			Throwable cause = ex.getCause();
			if (cause instanceof RuntimeException failure) {
				throw failure;
			}
			if (cause instanceof Error error) {
				throw error;
			}
			throw new IllegalStateException("Firestore failed to " + what, cause);
		}
		catch (TimeoutException ex) {
			call.cancel(true);
			throw new DeadlineExceededException("Firestore did not " + what + " within " + this.timeout, ex,
					GrpcStatusCode.of(Status.Code.DEADLINE_EXCEEDED), true);
		}
		catch (InterruptedException ex) {
			call.cancel(true);
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting for Firestore to " + what, ex);
		}
	}

}
