package dev.skyfold.imageresizer.aws.lambda;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.event.EventJson;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the objects an event says were created or removed, in the shapes that reach the
 * Lambda function: an S3 event notification (every record, {@code ObjectCreated:*} or
 * {@code ObjectRemoved:*}; keys URL-decoded as S3 encodes them, {@code +} being a space),
 * an EventBridge {@code Object Created} or {@code Object Deleted} event from S3 (keys as
 * they are), or a provider-neutral {@code {"bucket": ..., "key": ...}} record of a
 * created object for a direct invocation. A record that cannot be read becomes an
 * {@link ObjectEvent.Invalid} entry, so the other records of its event still count.
 */
public final class ObjectEvents {

	private static final String OBJECT_CREATED = "ObjectCreated:";

	private static final String OBJECT_REMOVED = "ObjectRemoved:";

	private ObjectEvents() {
	}

	/**
	 * Reads an event.
	 * @param event the event's JSON
	 * @return one entry per record, in the event's order
	 * @throws RejectedInputException when the event is not JSON or has none of the shapes
	 * above
	 */
	public static List<ObjectEvent> read(byte[] event) {
		JsonNode root = EventJson.read(event);
		if (root == null || !root.isObject()) {
			throw new RejectedInputException(Rejection.INVALID, "The event is not a JSON object");
		}
		if (root.has("Records")) {
			return s3Notification(root.get("Records"));
		}
		if (root.has("detail-type") && root.has("detail")) {
			return List.of(eventBridge(root));
		}
		if (root.has("bucket") && root.has("key")) {
			return List.of(plain(root));
		}
		throw new RejectedInputException(Rejection.INVALID,
				"The event is neither an S3 event notification ('Records'), an EventBridge event ('detail-type', "
						+ "'detail') nor an object-created record ('bucket', 'key')");
	}

	private static List<ObjectEvent> s3Notification(JsonNode records) {
		if (!records.isArray()) {
			throw new RejectedInputException(Rejection.INVALID, "The S3 event's 'Records' is not an array");
		}
		List<ObjectEvent> entries = new ArrayList<>();
		for (JsonNode record : records.values()) {
			entries.add(s3Record(record));
		}
		return entries;
	}

	private static ObjectEvent s3Record(JsonNode record) {
		String bucket = text(record.path("s3").path("bucket").path("name"));
		String rawKey = text(record.path("s3").path("object").path("key"));
		String source = text(record.path("eventSource"));
		if (source != null && !source.equals("aws:s3")) {
			return new ObjectEvent.Invalid(bucket, rawKey, "not an S3 record (eventSource " + source + ")");
		}
		String name = text(record.path("eventName"));
		boolean removed = name != null && name.startsWith(OBJECT_REMOVED);
		if (name != null && !name.startsWith(OBJECT_CREATED) && !removed) {
			return new ObjectEvent.Ignored(bucket, decodeQuietly(rawKey),
					"not an object-created or object-removed event (" + name + ")");
		}
		if (rawKey == null) {
			return new ObjectEvent.Invalid(bucket, null, "the S3 record names no object key (s3.object.key)");
		}
		String key;
		try {
			key = URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return new ObjectEvent.Invalid(bucket, rawKey,
					"the S3 record's key is not URL-encoded as S3 encodes keys: " + ex.getMessage());
		}
		if (removed) {
			return removed(bucket, key, "s3.bucket.name");
		}
		return created(bucket, key, record.path("s3").path("object").path("size"), "s3.bucket.name");
	}

	private static ObjectEvent eventBridge(JsonNode event) {
		JsonNode detail = event.path("detail");
		String bucket = text(detail.path("bucket").path("name"));
		String key = text(detail.path("object").path("key"));
		String type = text(event.path("detail-type"));
		boolean deleted = "Object Deleted".equals(type);
		if (!"Object Created".equals(type) && !deleted) {
			return new ObjectEvent.Ignored(bucket, key, "not an Object Created or Object Deleted event (" + type + ")");
		}
		if (key == null) {
			return new ObjectEvent.Invalid(bucket, null,
					"the EventBridge event names no object key (detail.object.key)");
		}
		if (deleted) {
			return removed(bucket, key, "detail.bucket.name");
		}
		return created(bucket, key, detail.path("object").path("size"), "detail.bucket.name");
	}

	private static ObjectEvent plain(JsonNode record) {
		String bucket = text(record.path("bucket"));
		String key = text(record.path("key"));
		if (key == null) {
			return new ObjectEvent.Invalid(bucket, null, "the record's 'key' is not a string");
		}
		JsonNode contentType = record.path("contentType");
		ObjectEvent entry = created(bucket, key, record.path("size"), "bucket");
		if (entry instanceof ObjectEvent.Created created && contentType.isString()) {
			ObjectCreated event = created.object();
			return new ObjectEvent.Created(
					new ObjectCreated(event.bucket(), event.key(), event.size(), contentType.stringValue()));
		}
		return entry;
	}

	private static ObjectEvent removed(@Nullable String bucket, String key, String bucketField) {
		if (bucket == null || bucket.isBlank()) {
			return new ObjectEvent.Invalid(bucket, key, "the event names no bucket (" + bucketField + ")");
		}
		return new ObjectEvent.Removed(bucket, key);
	}

	private static ObjectEvent created(@Nullable String bucket, String key, JsonNode size, String bucketField) {
		if (bucket == null || bucket.isBlank()) {
			return new ObjectEvent.Invalid(bucket, key, "the event names no bucket (" + bucketField + ")");
		}
		try {
			return new ObjectEvent.Created(
					new ObjectCreated(bucket, key, size.canConvertToLong() ? size.longValue() : null, null));
		}
		catch (RejectedInputException ex) {
			return new ObjectEvent.Invalid(bucket, key, ex.getMessage());
		}
	}

	private static @Nullable String decodeQuietly(@Nullable String rawKey) {
		if (rawKey == null) {
			return null;
		}
		try {
			return URLDecoder.decode(rawKey, StandardCharsets.UTF_8);
		}
		catch (IllegalArgumentException ex) {
			return rawKey;
		}
	}

	private static @Nullable String text(JsonNode node) {
		return node.isString() ? node.stringValue() : null;
	}

}
