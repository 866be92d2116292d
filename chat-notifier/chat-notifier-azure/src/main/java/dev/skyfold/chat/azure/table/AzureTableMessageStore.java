package dev.skyfold.chat.azure.table;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;

import com.azure.core.util.Context;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.ListEntitiesOptions;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableServiceException;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import org.jspecify.annotations.Nullable;

/**
 * Stores messages in an Azure Table laid out as {@link MessageTable} describes: a room is
 * a partition, a message an entity whose key orders the room newest first. A message
 * posted with a client message id is stored as a claim on that id, then the message
 * entity the claim holds: of concurrent posts one claims, the others find the claim and
 * answer the message it holds. Whichever call inserts the message entity reports the
 * message as new, so that it is broadcast once, also when its first poster died between
 * the two inserts and a later post of the same id heals the table. History reads the
 * room's keys from the page's position, newest first, in pages, until the limit; of the
 * position's own microsecond it skips the messages at or after the position's id.
 */
public final class AzureTableMessageStore implements MessageStore {

	/** Table storage returns at most 1000 entities per page. */
	private static final int MAX_PAGE = 1000;

	private final TableClient table;

	private final @Nullable Duration timeout;

	/**
	 * Creates a store.
	 * @param table the client of the table to store in
	 * @param timeout how long one call to Table storage may take; {@code null} for the
	 * client's own limits
	 */
	public AzureTableMessageStore(TableClient table, @Nullable Duration timeout) {
		this.table = table;
		this.timeout = timeout;
	}

	/**
	 * The table the messages are stored in.
	 * @return the table's name
	 */
	public String table() {
		return this.table.getTableName();
	}

	@Override
	public Saved save(NewMessage message, String id, Instant createdAt) {
		TableEntity entity = MessageTable.messageEntity(message, id, createdAt);
		ChatMessage stored = new ChatMessage(id, message.room(), message.author(), message.text(), createdAt);
		if (message.clientMessageId() == null) {
			try {
				this.table.createEntityWithResponse(entity, this.timeout, Context.NONE);
			}
			catch (TableServiceException ex) {
				if (isConflict(ex)) {
					throw new IllegalStateException("Room " + message.room() + " holds a message with id " + id + " at "
							+ createdAt + " already; message ids must be unique", ex);
				}
				throw ex;
			}
			return new Saved(stored, true);
		}
		TableEntity claim = MessageTable.claimEntity(entity);
		try {
			this.table.createEntityWithResponse(claim, this.timeout, Context.NONE);
		}
		catch (TableServiceException ex) {
			if (!isConflict(ex)) {
				throw ex;
			}
			return firstStored(message, ex);
		}
		boolean inserted;
		try {
			inserted = insertMessageOf(claim);
		}
		catch (RuntimeException ex) {
			// Leave nothing half-written: without its claim, a retry stores the message.
			try {
				this.table.deleteEntity(claim);
			}
			catch (RuntimeException cleanup) {
				ex.addSuppressed(cleanup);
			}
			throw ex;
		}
		// When not inserted here, a concurrent post of the same client message id
		// inserted it first, and reports it new.
		return new Saved(stored, inserted);
	}

	/**
	 * Inserts the message a claim holds, unless it is there already: inserted by its
	 * poster, or by a concurrent post of the same client message id.
	 * @return {@code true} when this call inserted it, {@code false} when it was there
	 */
	private boolean insertMessageOf(TableEntity claim) {
		try {
			this.table.createEntityWithResponse(MessageTable.messageEntityOf(claim), this.timeout, Context.NONE);
			return true;
		}
		catch (TableServiceException ex) {
			if (!isConflict(ex)) {
				throw ex;
			}
			return false;
		}
	}

	/**
	 * The message that claimed a client message id first, from its claim. Its message
	 * entity is inserted too when its poster has not yet (or died before it could); then
	 * this call stored the message, and reports it new, for nobody has seen it yet.
	 */
	private Saved firstStored(NewMessage message, TableServiceException conflict) {
		String claimKey = MessageTable.claimRowKey(String.valueOf(message.clientMessageId()));
		TableEntity claim = read(message.room(), claimKey);
		if (claim == null) {
			throw new IllegalStateException("The message with client message id " + message.clientMessageId()
					+ " in room " + message.room() + " was deleted while being posted again", conflict);
		}
		boolean inserted = insertMessageOf(claim);
		return new Saved(MessageTable.message(claim), inserted);
	}

	@Override
	public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
		if (limit < 1 || (before != null && before.createdAt().isBefore(MessageTable.EARLIEST))) {
			return List.of();
		}
		Instant newest = (before != null) ? newestMicroBefore(before) : null;
		if (newest != null && newest.isBefore(MessageTable.EARLIEST)) {
			return List.of();
		}
		// Keys from the newest microsecond that may hold messages before the position
		// to the oldest message.
		String from = (newest != null && !newest.isAfter(MessageTable.LATEST)) ? MessageTable.timePrefix(newest)
				: MessageTable.MESSAGE_PREFIX;
		String filter = "PartitionKey eq " + quote(room) + " and RowKey ge " + quote(from) + " and RowKey lt "
				+ quote(MessageTable.MESSAGE_PREFIX.substring(0, 1) + "`");
		ListEntitiesOptions options = new ListEntitiesOptions().setFilter(filter).setTop(Math.min(limit + 1, MAX_PAGE));
		List<ChatMessage> newestFirst = new ArrayList<>();
		Iterator<TableEntity> entities = this.table.listEntities(options, this.timeout, Context.NONE).iterator();
		// The keys of one microsecond list its messages by ascending id: past the limit,
		// messages of the same microsecond as the last one may still have to be taken.
		while (entities.hasNext()) {
			ChatMessage message = MessageTable.message(entities.next());
			if (before != null && !before.follows(message)) {
				// Of the position's own microsecond: at or after the position's id.
				continue;
			}
			if (newestFirst.size() >= limit
					&& !message.createdAt().equals(newestFirst.get(newestFirst.size() - 1).createdAt())) {
				break;
			}
			newestFirst.add(message);
		}
		List<ChatMessage> oldestFirst = new ArrayList<>(newestFirst);
		oldestFirst.sort(Comparator.comparing(ChatMessage::createdAt).thenComparing(ChatMessage::id));
		return List.copyOf(oldestFirst.subList(Math.max(0, oldestFirst.size() - limit), oldestFirst.size()));
	}

	/**
	 * The newest microsecond that may hold messages before a position: the microsecond of
	 * its instant, except for a whole microsecond without an id (then the one before),
	 * since messages are stored to the microsecond.
	 */
	private static Instant newestMicroBefore(HistoryPosition before) {
		Instant truncated = before.createdAt().truncatedTo(ChronoUnit.MICROS);
		return (before.id() == null && truncated.equals(before.createdAt())) ? truncated.minus(1, ChronoUnit.MICROS)
				: truncated;
	}

	private @Nullable TableEntity read(String room, String rowKey) {
		try {
			return this.table.getEntityWithResponse(room, rowKey, null, this.timeout, Context.NONE).getValue();
		}
		catch (TableServiceException ex) {
			if (ex.getResponse() != null && ex.getResponse().getStatusCode() == 404) {
				return null;
			}
			throw ex;
		}
	}

	private static boolean isConflict(TableServiceException ex) {
		if (ex.getResponse() != null && ex.getResponse().getStatusCode() == 409) {
			return true;
		}
		return ex.getValue() != null && TableErrorCode.ENTITY_ALREADY_EXISTS.equals(ex.getValue().getErrorCode());
	}

	/** An OData string literal. */
	private static String quote(String value) {
		return "'" + value.replace("'", "''") + "'";
	}

}
