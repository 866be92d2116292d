package dev.skyfold.chat.aws.lambda;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent.DynamodbStreamRecord;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import com.amazonaws.services.lambda.runtime.events.models.dynamodb.AttributeValue;
import dev.skyfold.chat.aws.dynamodb.MessageTable;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.kernel.Deadline;
import dev.skyfold.kernel.RejectedInputException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code broadcastMessage} function on the chat table's DynamoDB stream: each INSERT
 * of a message item (the stream's {@code NEW_IMAGE}) is turned back into the stored
 * message and broadcast through the core's broadcast path; updates, removals and other
 * items are skipped. A record that cannot be read, or a message the core rejects, is
 * logged and skipped, since another delivery would not change it.
 * <p>
 * When a broadcaster fails transiently (after the core's own retries), the answer lists
 * that record and every later one of the batch as {@code batchItemFailures}, and the
 * later ones are not broadcast: Lambda delivers the batch again from the first reported
 * record on (with {@code ReportBatchItemFailures}), so broadcasting them now would send
 * them twice.
 * <p>
 * The invocation's remaining time (from the Lambda context), less {@link #MARGIN} for
 * answering, is the broadcasts' deadline: an attempt that could outlast it is not made,
 * and its record goes back to Lambda with the rest of the batch, so the invocation never
 * times out half-way and no batch is retried for a timeout.
 */
public class BroadcastMessageEventFunction implements Function<DynamodbEvent, StreamsEventResponse> {

	/** What the invocation keeps of its time for reporting the batch's outcome. */
	public static final Duration MARGIN = Duration.ofSeconds(1);

	private static final Logger log = LoggerFactory.getLogger(BroadcastMessageEventFunction.class);

	private static final String NAME = "broadcastMessage";

	private static final String INSERT = "INSERT";

	private final BiFunction<ChatMessage, Deadline, BroadcastResult> broadcastMessage;

	/**
	 * Creates the function.
	 * @param broadcastMessage what {@code broadcastMessage} does: the core's broadcast
	 * path, within a deadline
	 */
	public BroadcastMessageEventFunction(BiFunction<ChatMessage, Deadline, BroadcastResult> broadcastMessage) {
		this.broadcastMessage = broadcastMessage;
	}

	/**
	 * Broadcasts the messages a stream batch inserted, with no deadline.
	 * @param event the batch
	 * @return the records to deliver again
	 */
	@Override
	public StreamsEventResponse apply(DynamodbEvent event) {
		return broadcast(event, Deadline.none());
	}

	/**
	 * Broadcasts the messages a stream batch inserted within the invocation's remaining
	 * time, less {@link #MARGIN}.
	 * @param event the batch
	 * @param context the invocation's context; {@code null} for no deadline
	 * @return the records to deliver again
	 */
	public StreamsEventResponse apply(DynamodbEvent event, @Nullable Context context) {
		return broadcast(event,
				(context != null) ? Deadline.after(Duration.ofMillis(context.getRemainingTimeInMillis()).minus(MARGIN))
						: Deadline.none());
	}

	/**
	 * Broadcasts the messages a stream batch inserted, within a deadline.
	 * @param event the batch
	 * @param deadline when the broadcasts must be done by
	 * @return the records to deliver again
	 */
	public StreamsEventResponse broadcast(DynamodbEvent event, Deadline deadline) {
		List<BatchItemFailure> failures = new ArrayList<>();
		List<DynamodbStreamRecord> records = (event.getRecords() != null) ? event.getRecords() : List.of();
		for (DynamodbStreamRecord record : records) {
			if (!failures.isEmpty() || !broadcast(record, deadline)) {
				failures.add(new BatchItemFailure(sequenceNumber(record)));
			}
		}
		return new StreamsEventResponse(failures);
	}

	/**
	 * Broadcasts a record's message, if it holds one.
	 * @return {@code false} when the record should be delivered again
	 */
	private boolean broadcast(DynamodbStreamRecord record, Deadline deadline) {
		String sequenceNumber = sequenceNumber(record);
		if (!INSERT.equals(record.getEventName())) {
			log.debug("Skipped {} record {}", record.getEventName(), sequenceNumber);
			return true;
		}
		Map<String, AttributeValue> image = (record.getDynamodb() != null) ? record.getDynamodb().getNewImage() : null;
		if (image == null) {
			skip(sequenceNumber, "it has no new image; the table's stream must carry NEW_IMAGE or NEW_AND_OLD_IMAGES",
					null);
			return true;
		}
		if (!MessageTable.isMessageKey(string(image, MessageTable.MESSAGE_KEY))) {
			log.debug("Skipped record {}: not a message item", sequenceNumber);
			return true;
		}
		ChatMessage message;
		try {
			message = MessageTable.message((name) -> string(image, name));
		}
		catch (IllegalArgumentException | RejectedInputException ex) {
			skip(sequenceNumber, ex.getMessage(), ex);
			return true;
		}
		BroadcastResult result;
		try {
			result = this.broadcastMessage.apply(message, deadline);
		}
		catch (RejectedInputException ex) {
			skip(sequenceNumber, ex.getMessage(), ex);
			return true;
		}
		catch (RuntimeException ex) {
			log.atError()
				.addKeyValue("function", NAME)
				.addKeyValue("sequenceNumber", sequenceNumber)
				.addKeyValue("messageId", message.id())
				.addKeyValue("outcome", "retry")
				.setCause(ex)
				.log("Broadcasting message {} failed; record {} goes back to Lambda", message.id(), sequenceNumber);
			return false;
		}
		log.atInfo()
			.addKeyValue("function", NAME)
			.addKeyValue("sequenceNumber", sequenceNumber)
			.addKeyValue("messageId", message.id())
			.addKeyValue("room", message.room())
			.addKeyValue("outcome", result.worthRetrying() ? "retry" : (result.succeeded() ? "broadcast" : "failed"))
			.log("Broadcast message {} of record {}: delivered through {}, failed through {}", message.id(),
					sequenceNumber, result.delivered(), result.failed());
		return !result.worthRetrying();
	}

	private static void skip(String sequenceNumber, @Nullable String reason, @Nullable Exception cause) {
		log.atWarn()
			.addKeyValue("function", NAME)
			.addKeyValue("sequenceNumber", sequenceNumber)
			.addKeyValue("outcome", "skipped")
			.setCause(cause)
			.log("Skipped record {}: {}", sequenceNumber, reason);
	}

	private static String sequenceNumber(DynamodbStreamRecord record) {
		String sequenceNumber = (record.getDynamodb() != null) ? record.getDynamodb().getSequenceNumber() : null;
		// Lambda retries the whole batch when a failure names no record.
		return (sequenceNumber != null) ? sequenceNumber : "";
	}

	private static @Nullable String string(Map<String, AttributeValue> image, String name) {
		AttributeValue value = image.get(name);
		return (value != null) ? value.getS() : null;
	}

}
