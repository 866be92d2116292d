package dev.skyfold.chat.aws.lambda;

import java.lang.reflect.Proxy;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Consumer;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse.BatchItemFailure;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.RecordingBroadcaster;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.kernel.Deadline;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import static dev.skyfold.chat.application.RecordingBroadcaster.permanentFailure;
import static dev.skyfold.chat.application.RecordingBroadcaster.transientFailure;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code broadcastMessage} on the chat table's DynamoDB stream: inserted messages are
 * broadcast, everything else is skipped, and records whose broadcast may succeed later go
 * back to Lambda.
 */
class BroadcastMessageEventFunctionTests {

	private static final ChatMessage FIRST = new ChatMessage("0f8e7c1a-3b2d-4c5e-9f60-718293a4b5c6", "general",
			"Ada Lovelace", "Hello from API Gateway! \uD83D\uDE80\nSecond line.",
			Instant.parse("2026-03-01T12:34:56.123456Z"));

	private static final ChatMessage SECOND = new ChatMessage("5d41402a-bc4b-4a8e-9b3c-7a1f2e3d4c5b", "random", "Grace",
			"Second message", Instant.parse("2026-03-01T12:35:00.000001Z"));

	private static final BroadcastService.Backoff TINY = new BroadcastService.Backoff(2, Duration.ofMillis(1), 2.0,
			Duration.ofMillis(2));

	private final RecordingBroadcaster broadcaster = new RecordingBroadcaster("recording");

	private BroadcastMessageEventFunction function(RecordingBroadcaster... broadcasters) {
		return new BroadcastMessageEventFunction(
				new BroadcastService(List.of(broadcasters), TINY, new SimpleMeterRegistry())::broadcast);
	}

	@Test
	void broadcastsTheInsertedMessageOfAStreamRecord() {
		StreamsEventResponse response = function(this.broadcaster)
			.broadcast(Events.load("dynamodb-stream-insert.json", DynamodbEvent.class), Deadline.none());

		assertThat(this.broadcaster.delivered()).containsExactly(FIRST);
		assertThat(response.getBatchItemFailures()).isEmpty();
	}

	@Test
	void broadcastsInsertedMessagesOnlyAndSkipsUpdatesRemovalsOtherItemsAndUnreadableRecords() {
		StreamsEventResponse response = function(this.broadcaster)
			.broadcast(Events.load("dynamodb-stream-batch.json", DynamodbEvent.class), Deadline.none());

		assertThat(this.broadcaster.delivered()).containsExactly(FIRST, SECOND);
		assertThat(response.getBatchItemFailures()).isEmpty();
	}

	@Test
	void reportsARecordWhoseBroadcastFailedTransiently() {
		this.broadcaster.onAttempt(failFor(SECOND, true));

		StreamsEventResponse response = function(this.broadcaster)
			.broadcast(Events.load("dynamodb-stream-batch.json", DynamodbEvent.class), Deadline.none());

		assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
			.containsExactly("111600000000012345678906");
		assertThat(this.broadcaster.delivered()).containsExactly(FIRST);
		assertThat(this.broadcaster.attempts()).isEqualTo(1 + 1 + TINY.maxRetries());
	}

	@Test
	void reportsEveryRecordAfterATransientFailureWithoutBroadcastingThem() {
		this.broadcaster.onAttempt(failFor(FIRST, true));

		StreamsEventResponse response = function(this.broadcaster)
			.broadcast(Events.load("dynamodb-stream-batch.json", DynamodbEvent.class), Deadline.none());

		assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
			.containsExactly("111100000000012345678901", "111200000000012345678902", "111300000000012345678903",
					"111400000000012345678904", "111500000000012345678905", "111600000000012345678906");
		assertThat(this.broadcaster.delivered()).isEmpty();
		assertThat(this.broadcaster.attempts()).isEqualTo(1 + TINY.maxRetries());
	}

	@Test
	void doesNotReportAPermanentFailure() {
		this.broadcaster.onAttempt(failFor(FIRST, false));

		StreamsEventResponse response = function(this.broadcaster)
			.broadcast(Events.load("dynamodb-stream-batch.json", DynamodbEvent.class), Deadline.none());

		assertThat(response.getBatchItemFailures()).isEmpty();
		assertThat(this.broadcaster.delivered()).containsExactly(SECOND);
	}

	@Test
	void reportsARecordWhenOneOfSeveralBroadcastersFailedTransiently() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());

		StreamsEventResponse response = function(this.broadcaster, down)
			.broadcast(Events.load("dynamodb-stream-insert.json", DynamodbEvent.class), Deadline.none());

		assertThat(this.broadcaster.delivered()).containsExactly(FIRST);
		assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
			.containsExactly("111100000000012345678901");
	}

	@Test
	void reportsARecordWhenTheBroadcastFailsUnexpectedly() {
		BroadcastMessageEventFunction failing = new BroadcastMessageEventFunction((message, deadline) -> {
			throw new IllegalStateException("bug");
		});

		StreamsEventResponse response = failing
			.broadcast(Events.load("dynamodb-stream-insert.json", DynamodbEvent.class), Deadline.none());

		assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
			.containsExactly("111100000000012345678901");
	}

	@Test
	void skipsAMessageTheCoreRejects() {
		String json = Events.json("dynamodb-stream-insert.json").replace("\"S\": \"general\"", "\"S\": \"No Room!\"");

		StreamsEventResponse response = function(this.broadcaster).broadcast(Events.read(json, DynamodbEvent.class),
				Deadline.none());

		assertThat(response.getBatchItemFailures()).isEmpty();
		assertThat(this.broadcaster.attempts()).isZero();
	}

	@Test
	void skipsAnInsertWithoutANewImage() {
		DynamodbEvent event = Events.load("dynamodb-stream-insert.json", DynamodbEvent.class);
		event.getRecords().get(0).getDynamodb().setNewImage(null);

		StreamsEventResponse response = function(this.broadcaster).broadcast(event, Deadline.none());

		assertThat(response.getBatchItemFailures()).isEmpty();
		assertThat(this.broadcaster.attempts()).isZero();
	}

	@Test
	void sendsTheBatchBackWithoutAttemptsThatCouldOutlastTheInvocationsRemainingTime() {
		RecordingBroadcaster slow = new RecordingBroadcaster("fcm").takingAtMost(Duration.ofSeconds(10));
		DynamodbEvent batch = Events.load("dynamodb-stream-batch.json", DynamodbEvent.class);
		// 8 s left, less the margin for answering: less than one attempt may take.

		StreamsEventResponse response = function(slow).apply(batch, lambdaContext(Duration.ofSeconds(8)));

		assertThat(slow.attempts()).isZero();
		assertThat(response.getBatchItemFailures()).extracting(BatchItemFailure::getItemIdentifier)
			.containsExactly("111100000000012345678901", "111200000000012345678902", "111300000000012345678903",
					"111400000000012345678904", "111500000000012345678905", "111600000000012345678906");
	}

	@Test
	void broadcastsWhatFitsTheInvocationsRemainingTime() {
		RecordingBroadcaster quick = new RecordingBroadcaster("fcm").takingAtMost(Duration.ofSeconds(10));

		StreamsEventResponse response = function(quick).apply(
				Events.load("dynamodb-stream-batch.json", DynamodbEvent.class),
				lambdaContext(Duration.ofSeconds(12).plus(BroadcastMessageEventFunction.MARGIN)));

		assertThat(quick.delivered()).containsExactly(FIRST, SECOND);
		assertThat(response.getBatchItemFailures()).isEmpty();
	}

	@Test
	void broadcastsWithoutADeadlineWithoutALambdaContext() {
		RecordingBroadcaster slow = new RecordingBroadcaster("fcm").takingAtMost(Duration.ofDays(1));

		function(slow).apply(Events.load("dynamodb-stream-batch.json", DynamodbEvent.class), null);

		assertThat(slow.delivered()).containsExactly(FIRST, SECOND);
	}

	/**
	 * A Lambda context that knows only its remaining time, which is all the function
	 * asks.
	 */
	private static Context lambdaContext(Duration remaining) {
		return (Context) Proxy.newProxyInstance(Context.class.getClassLoader(), new Class<?>[] { Context.class },
				(proxy, method, arguments) -> {
					if (method.getName().equals("getRemainingTimeInMillis")) {
						return (int) remaining.toMillis();
					}
					throw new UnsupportedOperationException(method.getName());
				});
	}

	@Test
	void answersAnEmptyBatchWithNoFailures() {
		assertThat(function(this.broadcaster).broadcast(new DynamodbEvent(), Deadline.none()).getBatchItemFailures())
			.isEmpty();
		assertThat(function(this.broadcaster)
			.broadcast(Events.read("{\"Records\":[]}", DynamodbEvent.class), Deadline.none())
			.getBatchItemFailures()).isEmpty();
	}

	private static Consumer<ChatMessage> failFor(ChatMessage target, boolean transientFailure) {
		return (message) -> {
			if (message.id().equals(target.id())) {
				throw transientFailure ? transientFailure() : permanentFailure();
			}
		};
	}

}
