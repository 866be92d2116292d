package dev.skyfold.imageresizer.domain;

import dev.skyfold.kernel.Rejection;
import dev.skyfold.kernel.RejectedInputException;
import org.jspecify.annotations.Nullable;

/**
 * An object landed in a bucket: the provider-neutral form of an S3 notification, an Event
 * Grid {@code BlobCreated} event or a local upload.
 *
 * @param bucket the bucket (or container) name
 * @param key the object key, already URL-decoded
 * @param size the size in bytes, when the event carries it
 * @param contentType the media type, when the event carries it
 */
public record ObjectCreated(String bucket, String key, @Nullable Long size, @Nullable String contentType) {

	public ObjectCreated {
		if (bucket == null || bucket.isBlank()) {
			throw new RejectedInputException(Rejection.INVALID, "The event names no bucket");
		}
		if (key == null || key.isBlank()) {
			throw new RejectedInputException(Rejection.INVALID, "The event names no object key");
		}
	}

	public ObjectCreated(String bucket, String key) {
		this(bucket, key, null, null);
	}

}
