package dev.skyfold.imageresizer.gcp.functions;

import java.nio.charset.StandardCharsets;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads a Cloud Storage CloudEvent (Eventarc's {@code google.cloud.storage.object.v1.*},
 * whose data is the object's metadata as JSON) as the core's neutral object event. An
 * Eventarc trigger on a bucket cannot filter on a prefix as S3 notifications and Event
 * Grid subscriptions do, so objects outside {@value #UPLOADS} are ignored here;
 * thumbnails under {@code resized/} are left to the core, which skips them on every host.
 */
final class StorageEvents {

	/** An object was created, or overwritten. */
	static final String FINALIZED = "google.cloud.storage.object.v1.finalized";

	/** An object was deleted. */
	static final String DELETED = "google.cloud.storage.object.v1.deleted";

	/**
	 * Where uploads go in the bucket: a Cloud Storage trigger cannot filter on a prefix.
	 */
	static final String UPLOADS = "uploads/";

	/** Where the core writes thumbnails, and skips them itself. */
	private static final String THUMBNAILS = "resized/";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private StorageEvents() {
	}

	/**
	 * The event's record for the core.
	 * @param event the CloudEvent as the Functions Framework hands it over
	 * @return a created or removed object; an ignored record for another event type; an
	 * invalid one when the data names no object
	 */
	static ObjectEvent read(CloudEvent event) {
		JsonNode object;
		try {
			object = data(event.getData());
		}
		catch (RejectedInputException ex) {
			return new ObjectEvent.Invalid(null, null, ex.getMessage());
		}
		String bucket = text(object, "bucket");
		String key = text(object, "name");
		if (bucket == null || key == null) {
			return new ObjectEvent.Invalid(bucket, key, "The event's data names no bucket and object");
		}
		if (!key.startsWith(UPLOADS) && !key.startsWith(THUMBNAILS)) {
			return new ObjectEvent.Ignored(bucket, key, "outside " + UPLOADS + ", the folder the function watches");
		}
		return switch (event.getType()) {
			case FINALIZED -> created(bucket, key, object);
			case DELETED -> new ObjectEvent.Removed(bucket, key);
			default ->
				new ObjectEvent.Ignored(bucket, key, "not about a created or deleted object: " + event.getType());
		};
	}

	private static ObjectEvent created(String bucket, String key, JsonNode object) {
		try {
			return new ObjectEvent.Created(new ObjectCreated(bucket, key, size(object), text(object, "contentType")));
		}
		catch (RejectedInputException ex) {
			return new ObjectEvent.Invalid(bucket, key, ex.getMessage());
		}
	}

	private static JsonNode data(@Nullable CloudEventData data) {
		if (data == null) {
			throw new RejectedInputException(Rejection.INVALID, "The event has no data");
		}
		try {
			JsonNode object = JSON.readTree(new String(data.toBytes(), StandardCharsets.UTF_8));
			if (!object.isObject()) {
				throw new RejectedInputException(Rejection.INVALID, "The event's data is not a JSON object");
			}
			return object;
		}
		catch (JacksonException ex) {
			throw new RejectedInputException(Rejection.INVALID, "The event's data is not JSON", ex);
		}
	}

	private static @Nullable Long size(JsonNode object) {
		// The JSON form of Cloud Storage's object metadata carries its size as a string.
		JsonNode size = object.path("size");
		if (size.isNumber()) {
			return size.asLong();
		}
		if (size.isString() && size.asString().matches("\\d{1,18}")) {
			return Long.parseLong(size.asString());
		}
		return null;
	}

	private static @Nullable String text(JsonNode object, String field) {
		JsonNode value = object.path(field);
		return (value.isString() && !value.asString().isEmpty()) ? value.asString() : null;
	}

}
