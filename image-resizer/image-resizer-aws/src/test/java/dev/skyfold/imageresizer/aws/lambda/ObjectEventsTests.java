package dev.skyfold.imageresizer.aws.lambda;

import java.nio.charset.StandardCharsets;
import java.util.List;

import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.skyfold.imageresizer.aws.Samples.event;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ObjectEvents}.
 */
class ObjectEventsTests {

	@Test
	void readsS3PutEventWithItsKeyUrlDecoded() {
		assertThat(ObjectEvents.read(event("s3-put.json"))).containsExactly(
				new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/my photo+1.jpg", 1024L, null)));
	}

	@Test
	void readsEveryRecordOfAnS3EventInOrder() {
		assertThat(ObjectEvents.read(event("s3-multiple-records.json"))).containsExactly(
				new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/été 2024/日本.jpg", 2048L, null)),
				new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/a+b c%d.png", 4096L, null)),
				new ObjectEvent.Removed("skyfold", "uploads/old photo.jpg"));
	}

	@ParameterizedTest
	@CsvSource(delimiter = '|', textBlock = """
			uploads/my+photo%2B1.jpg              | uploads/my photo+1.jpg
			with%20space.png                      | with space.png
			a%2Bb%3Dc%26d.jpg                     | a+b=c&d.jpg
			%E6%97%A5%E6%9C%AC/%E5%86%99%E7%9C%9F.jpeg | 日本/写真.jpeg
			emoji/%F0%9F%98%80.png                | emoji/😀.png
			percent%2520encoded.jpg               | percent%20encoded.jpg
			plain/key.jpg                         | plain/key.jpg
			""")
	void decodesS3KeysAsS3EncodesThem(String encoded, String decoded) {
		assertThat(ObjectEvents.read(s3Event("skyfold", encoded)))
			.containsExactly(new ObjectEvent.Created(new ObjectCreated("skyfold", decoded, 10L, null)));
	}

	@Test
	void readsEventBridgeObjectCreatedEventWithItsKeyAsItIs() {
		assertThat(ObjectEvents.read(event("eventbridge-object-created.json")))
			.containsExactly(new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/my photo+1.jpg", 5L, null)));
	}

	@Test
	void readsEventBridgeObjectDeletedEventAsARemovedObject() {
		assertThat(ObjectEvents.read(event("eventbridge-object-deleted.json")))
			.containsExactly(new ObjectEvent.Removed("skyfold", "uploads/my photo+1.jpg"));
	}

	@Test
	void ignoresOtherEvents() {
		assertThat(ObjectEvents.read(bytes(
				"{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectRestore:Completed\",\"s3\":{\"bucket\":{\"name\":\"skyfold\"},\"object\":{\"key\":\"a.jpg\"}}}]}")))
			.containsExactly(new ObjectEvent.Ignored("skyfold", "a.jpg",
					"not an object-created or object-removed event (ObjectRestore:Completed)"));
		assertThat(ObjectEvents.read(bytes(
				"{\"detail-type\":\"Object Tags Added\",\"detail\":{\"bucket\":{\"name\":\"skyfold\"},\"object\":{\"key\":\"a.jpg\"}}}")))
			.containsExactly(new ObjectEvent.Ignored("skyfold", "a.jpg",
					"not an Object Created or Object Deleted event (Object Tags Added)"));
	}

	@Test
	void readsPlainObjectCreatedRecordWithItsKeyAsItIs() {
		assertThat(ObjectEvents.read(event("object-created.json")))
			.containsExactly(new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/my photo+1.jpg")));
		assertThat(ObjectEvents.read(bytes(
				"{\"bucket\":\"skyfold\",\"key\":\"a%2B.jpg\",\"size\":7,\"contentType\":\"image/png\",\"extra\":1}")))
			.containsExactly(new ObjectEvent.Created(new ObjectCreated("skyfold", "a%2B.jpg", 7L, "image/png")));
	}

	@Test
	void marksUndecodableS3KeyInvalidAndKeepsTheOtherRecords() {
		String event = "{\"Records\":[" + s3Record("skyfold", "uploads/100%.jpg") + ","
				+ s3Record("skyfold", "uploads/ok.jpg") + "]}";
		List<ObjectEvent> entries = ObjectEvents.read(bytes(event));
		assertThat(entries).hasSize(2);
		assertThat(entries.get(0)).isInstanceOfSatisfying(ObjectEvent.Invalid.class, (invalid) -> {
			assertThat(invalid.bucket()).isEqualTo("skyfold");
			assertThat(invalid.key()).isEqualTo("uploads/100%.jpg");
			assertThat(invalid.reason()).contains("not URL-encoded");
		});
		assertThat(entries.get(1))
			.isEqualTo(new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/ok.jpg", 10L, null)));
	}

	@Test
	void marksRecordsWithoutBucketOrKeyInvalid() {
		String event = "{\"Records\":[{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
				+ "\"s3\":{\"bucket\":{\"name\":\"skyfold\"},\"object\":{}}},"
				+ "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
				+ "\"s3\":{\"bucket\":{},\"object\":{\"key\":\"a.jpg\"}}},"
				+ "{\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
				+ "\"s3\":{\"bucket\":{\"name\":\"skyfold\"},\"object\":{\"key\":\"\"}}}]}";
		assertThat(ObjectEvents.read(bytes(event))).containsExactly(
				new ObjectEvent.Invalid("skyfold", null, "the S3 record names no object key (s3.object.key)"),
				new ObjectEvent.Invalid(null, "a.jpg", "the event names no bucket (s3.bucket.name)"),
				new ObjectEvent.Invalid("skyfold", "", "The event names no object key"));
	}

	@Test
	void marksRecordsOfOtherServicesInvalid() {
		List<ObjectEvent> entries = ObjectEvents.read(event("sqs-message.json"));
		assertThat(entries).singleElement()
			.isEqualTo(new ObjectEvent.Invalid(null, null, "not an S3 record (eventSource aws:sqs)"));
	}

	@Test
	void readsEmptyS3EventAsNoRecords() {
		assertThat(ObjectEvents.read(bytes("{\"Records\":[]}"))).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "not json", "{\"Records\":", "[1,2]", "\"text\"", "42", "null" })
	void rejectsEventThatIsNoJsonObject(String event) {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> ObjectEvents.read(bytes(event)))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageStartingWith("The event is not");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{}", "{\"hello\":\"world\"}", "{\"detail\":{}}", "{\"bucket\":\"skyfold\"}",
			"{\"Key\":\"a.jpg\",\"Bucket\":\"skyfold\"}" })
	void rejectsJsonOfAnotherShapeNamingTheShapesItReads(String event) {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> ObjectEvents.read(bytes(event)))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageContaining("S3 event notification ('Records')")
			.withMessageContaining("EventBridge event ('detail-type', 'detail')")
			.withMessageContaining("object-created record ('bucket', 'key')");
	}

	@Test
	void rejectsS3EventWhoseRecordsAreNoArray() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> ObjectEvents.read(bytes("{\"Records\":{\"s3\":{}}}")))
			.withMessage("The S3 event's 'Records' is not an array");
	}

	static byte[] s3Event(String bucket, String encodedKey) {
		return bytes("{\"Records\":[" + s3Record(bucket, encodedKey) + "]}");
	}

	static String s3Record(String bucket, String encodedKey) {
		return "{\"eventVersion\":\"2.1\",\"eventSource\":\"aws:s3\",\"eventName\":\"ObjectCreated:Put\","
				+ "\"s3\":{\"bucket\":{\"name\":\"" + bucket + "\"},\"object\":{\"key\":\"" + encodedKey
				+ "\",\"size\":10}}}";
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
