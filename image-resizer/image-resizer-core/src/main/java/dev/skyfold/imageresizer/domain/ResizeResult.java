package dev.skyfold.imageresizer.domain;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@code resizeImage} did with one object-created event.
 *
 * @param bucket the bucket of the source object
 * @param key the source object's key
 * @param outcome whether thumbnails were written or the object was skipped
 * @param reason why the object was skipped; {@code null} when it was resized
 * @param sourceWidth the source image's upright width, 0 when skipped
 * @param sourceHeight the source image's upright height, 0 when skipped
 * @param written the thumbnails written, one per rendition
 * @param millis how long the function took, in milliseconds
 */
public record ResizeResult(String bucket, String key, Outcome outcome, @Nullable String reason, int sourceWidth,
		int sourceHeight, List<WrittenObject> written, long millis) {

	public ResizeResult {
		written = List.copyOf(written);
	}

	public static ResizeResult resized(ObjectCreated event, int sourceWidth, int sourceHeight,
			List<WrittenObject> written, long millis) {
		return new ResizeResult(event.bucket(), event.key(), Outcome.RESIZED, null, sourceWidth, sourceHeight, written,
				millis);
	}

	public static ResizeResult skipped(ObjectCreated event, String reason, long millis) {
		return new ResizeResult(event.bucket(), event.key(), Outcome.SKIPPED, reason, 0, 0, List.of(), millis);
	}

	/**
	 * Whether an event produced thumbnails.
	 */
	public enum Outcome {

		/** Thumbnails were written. */
		RESIZED,

		/** Nothing was written, on purpose: see the reason. */
		SKIPPED

	}

}
