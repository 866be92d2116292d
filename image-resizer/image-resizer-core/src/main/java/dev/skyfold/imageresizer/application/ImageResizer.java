package dev.skyfold.imageresizer.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.domain.ResizeSummary;
import dev.skyfold.imageresizer.domain.ResizeSummary.Status;
import dev.skyfold.imageresizer.domain.Thumbnail;
import dev.skyfold.imageresizer.domain.WrittenObject;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;
import dev.skyfold.imageresizer.port.ThumbnailRenderer.Rendering;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.event.Level;

/**
 * The resizer's application service, which the {@code resizeImage} function and every
 * host's storage-event handler use: an object landed in a bucket; write its thumbnails
 * under the output prefix of the same bucket, one per rendition.
 * <p>
 * Objects under the output prefix are skipped (the function's own output would trigger it
 * again, forever), and so are objects that are not images. The object is read once, and
 * refused before any of its bytes is read when it is over the byte limit. Every thumbnail
 * is rendered before the first is written, so an image that fails leaves nothing behind;
 * a replayed event rewrites the same bytes.
 * <p>
 * A batch of records ({@link #resizeEach}) follows one policy on every platform: one
 * record's failure does not stop the others; bad input is logged and reported, never
 * retried; any other failure, such as a storage error, fails the batch after its last
 * record ({@link ResizeFailedException}), so that the platform delivers it again.
 */
public class ImageResizer {

	/**
	 * The metadata each thumbnail is written with: the key of the image it was made from.
	 */
	public static final String SOURCE_KEY_METADATA = "source-key";

	/**
	 * The metadata each thumbnail is written with: its rendition's
	 * {@linkplain Rendition#signature() signature}, by which a reconcile finds it stale.
	 */
	public static final String RENDITION_METADATA = "rendition";

	/** The meter counting thumbnails written, on every host. */
	public static final String THUMBNAILS_WRITTEN = "skyfold.thumbnails.written";

	/** The meter counting the bytes of the thumbnails written, on every host. */
	public static final String THUMBNAIL_BYTES_WRITTEN = "skyfold.thumbnails.written.bytes";

	private static final String FUNCTION = ResizeImageFunction.NAME;

	private static final Logger log = LoggerFactory.getLogger(ImageResizer.class);

	private final BlobStore store;

	private final ThumbnailRenderer renderer;

	private final Settings settings;

	private final Counter thumbnailsWritten;

	private final Counter thumbnailBytesWritten;

	public ImageResizer(BlobStore store, ThumbnailRenderer renderer, Settings settings) {
		this(store, renderer, settings, Metrics.globalRegistry);
	}

	/**
	 * Creates the resizer.
	 * @param store where images are read and thumbnails written
	 * @param renderer what makes the thumbnails
	 * @param settings the renditions and limits
	 * @param meters where {@value #THUMBNAILS_WRITTEN} and
	 * {@value #THUMBNAIL_BYTES_WRITTEN} are counted
	 */
	public ImageResizer(BlobStore store, ThumbnailRenderer renderer, Settings settings, MeterRegistry meters) {
		this.store = store;
		this.renderer = renderer;
		this.settings = settings;
		this.thumbnailsWritten = Counter.builder(THUMBNAILS_WRITTEN).description("Thumbnails written").register(meters);
		this.thumbnailBytesWritten = Counter.builder(THUMBNAIL_BYTES_WRITTEN)
			.description("Bytes of the thumbnails written")
			.baseUnit("bytes")
			.register(meters);
	}

	/**
	 * The renditions and limits this resizer writes by.
	 * @return the settings
	 */
	public Settings settings() {
		return this.settings;
	}

	/**
	 * Whether an object should have thumbnails that are missing or stale: an image
	 * outside the output prefix, a rendition of which is absent or was made for another
	 * box.
	 * @param bucket the object's bucket
	 * @param original the object
	 * @return whether {@link #resize} has work to do for it
	 */
	public boolean needsThumbnails(String bucket, BlobInfo original) {
		String prefix = this.settings.outputPrefix();
		if (original.key().startsWith(prefix) || !original.contentType().startsWith("image/")) {
			return false;
		}
		for (Rendition rendition : this.settings.renditions()) {
			BlobInfo thumbnail = this.store.stat(bucket, rendition.keyFor(prefix, original.key())).orElse(null);
			if (thumbnail == null || !rendition.signature().equals(thumbnail.metadata().get(RENDITION_METADATA))) {
				return true;
			}
		}
		return false;
	}

	/**
	 * Writes the thumbnails of one object.
	 * @param event the object that landed
	 * @return what was written, or why nothing was
	 * @throws RejectedInputException when the object is bad input: corrupt, too large
	 * @throws RuntimeException when the store fails
	 */
	public ResizeResult resize(ObjectCreated event) {
		long start = System.nanoTime();
		try {
			ResizeResult result = resize(event, start);
			log.atInfo()
				.addKeyValue("function", FUNCTION)
				.addKeyValue("bucket", event.bucket())
				.addKeyValue("key", event.key())
				.addKeyValue("outcome", result.outcome().name().toLowerCase(Locale.ROOT))
				.addKeyValue("millis", result.millis())
				.log((result.reason() != null) ? "Skipped {}: {}" : "Resized {} into {}", event.key(),
						(result.reason() != null) ? result.reason()
								: result.written().stream().map(WrittenObject::key).toList());
			return result;
		}
		catch (RuntimeException ex) {
			RejectedInputException rejected = RejectedInputException.findIn(ex);
			log.atWarn()
				.addKeyValue("function", FUNCTION)
				.addKeyValue("bucket", event.bucket())
				.addKeyValue("key", event.key())
				.addKeyValue("outcome", (rejected != null) ? "rejected" : "failed")
				.addKeyValue("millis", millisSince(start))
				.setCause((rejected != null) ? null : ex)
				.log("Failed to resize {}: {}", event.key(), ex.getMessage());
			throw ex;
		}
	}

	private ResizeResult resize(ObjectCreated event, long start) {
		String skipReason = skipReason(event);
		if (skipReason != null) {
			return ResizeResult.skipped(event, skipReason, millisSince(start));
		}
		Blob image = this.store.read(event.bucket(), event.key(), this.settings.maxBytes()).orElse(null);
		if (image == null) {
			return ResizeResult.skipped(event, "the object no longer exists", millisSince(start));
		}
		Rendering rendering;
		try {
			rendering = this.renderer.render(image.content(),
					this.settings.renditions().stream().map(Rendition::box).toList(),
					this.settings.renditions().stream().map(Rendition::encoding).toList());
		}
		catch (RejectedInputException ex) {
			if (ex.rejection() == Rejection.UNSUPPORTED) {
				return ResizeResult.skipped(event, "not an image in a supported format", millisSince(start));
			}
			throw ex;
		}
		List<WrittenObject> written = write(event, rendering);
		this.thumbnailsWritten.increment(written.size());
		this.thumbnailBytesWritten.increment(written.stream().mapToLong(WrittenObject::size).sum());
		return ResizeResult.resized(event, rendering.sourceWidth(), rendering.sourceHeight(), written,
				millisSince(start));
	}

	/**
	 * Resizes the object of every record of a batch, by the policy above.
	 * @param events the batch's records, as the host read them
	 * @return what happened to each record, in order
	 * @throws ResizeFailedException after the last record, when any record failed for a
	 * reason other than bad input
	 */
	public ResizeSummary resizeEach(List<ObjectEvent> events) {
		List<ResizeSummary.Entry> entries = new ArrayList<>();
		List<RuntimeException> failures = new ArrayList<>();
		for (ObjectEvent event : events) {
			if (event instanceof ObjectEvent.Created created) {
				entries.add(resizeRecord(created.object(), failures));
			}
			else if (event instanceof ObjectEvent.Removed removed) {
				entries.add(removeRecord(removed, failures));
			}
			else if (event instanceof ObjectEvent.Ignored ignored) {
				entries.add(notResized(event.bucket(), event.key(), Level.INFO, Status.SKIPPED, ignored.reason()));
			}
			else if (event instanceof ObjectEvent.Invalid invalid) {
				entries.add(notResized(event.bucket(), event.key(), Level.WARN, Status.REJECTED, invalid.reason()));
			}
		}
		ResizeSummary summary = ResizeSummary.of(entries);
		if (!failures.isEmpty()) {
			throw new ResizeFailedException(summary, failures);
		}
		return summary;
	}

	private ResizeSummary.Entry resizeRecord(ObjectCreated object, List<RuntimeException> failures) {
		try {
			ResizeResult result = resize(object);
			return switch (result.outcome()) {
				case RESIZED -> new ResizeSummary.Entry(object.bucket(), object.key(), Status.RESIZED, null,
						result.written().stream().map(WrittenObject::key).toList());
				case SKIPPED -> unwritten(object.bucket(), object.key(), Status.SKIPPED, result.reason());
			};
		}
		catch (RuntimeException ex) {
			// resize(...) has logged it.
			RejectedInputException rejected = RejectedInputException.findIn(ex);
			if (rejected != null) {
				return unwritten(object.bucket(), object.key(), Status.REJECTED, rejected.getMessage());
			}
			failures.add(ex);
			return unwritten(object.bucket(), object.key(), Status.FAILED, ex.toString());
		}
	}

	private ResizeSummary.Entry removeRecord(ObjectEvent.Removed removed, List<RuntimeException> failures) {
		try {
			return removeThumbnails(removed.bucket(), removed.key());
		}
		catch (RuntimeException ex) {
			log.atWarn()
				.addKeyValue("function", FUNCTION)
				.addKeyValue("bucket", removed.bucket())
				.addKeyValue("key", removed.key())
				.addKeyValue("outcome", "failed")
				.setCause(ex)
				.log("Failed to remove the thumbnails of {}: {}", removed.key(), ex.getMessage());
			failures.add(ex);
			return unwritten(removed.bucket(), removed.key(), Status.FAILED, ex.toString());
		}
	}

	/**
	 * Removes the thumbnails of an original that was removed: each rendition's key for
	 * it, when that object was made from this key. Harmless when replayed, and when the
	 * original is back (a later upload, delivered first) its thumbnails stay.
	 * @param bucket the bucket
	 * @param key the removed original's key
	 * @return what was removed, or why nothing was
	 * @throws RuntimeException when the store fails
	 */
	public ResizeSummary.Entry removeThumbnails(String bucket, String key) {
		String prefix = this.settings.outputPrefix();
		if (key.startsWith(prefix)) {
			return notResized(bucket, key, Level.INFO, Status.SKIPPED,
					"the key is under " + prefix + ", where thumbnails are written");
		}
		if (this.store.stat(bucket, key).isPresent()) {
			return notResized(bucket, key, Level.INFO, Status.SKIPPED, "the original exists again");
		}
		List<String> removed = new ArrayList<>();
		for (Rendition rendition : this.settings.renditions()) {
			String thumbnail = rendition.keyFor(prefix, key);
			BlobInfo info = this.store.stat(bucket, thumbnail).orElse(null);
			String source = (info != null) ? info.metadata().get(SOURCE_KEY_METADATA) : null;
			if (info != null && (source == null || source.equals(key))) {
				this.store.delete(bucket, thumbnail);
				removed.add(thumbnail);
			}
		}
		log.atInfo()
			.addKeyValue("function", FUNCTION)
			.addKeyValue("bucket", bucket)
			.addKeyValue("key", key)
			.addKeyValue("outcome", "removed")
			.log("Removed the thumbnails of {}: {}", key, removed);
		return new ResizeSummary.Entry(bucket, key, Status.REMOVED, null, removed);
	}

	/** A record that names no created object: logged, and reported as it is. */
	private static ResizeSummary.Entry notResized(@Nullable String bucket, @Nullable String key, Level level,
			Status status, String reason) {
		log.atLevel(level)
			.addKeyValue("function", FUNCTION)
			.addKeyValue("bucket", bucket)
			.addKeyValue("key", key)
			.addKeyValue("outcome", status.name().toLowerCase(Locale.ROOT))
			.log("{} a record: {}", (status == Status.SKIPPED) ? "Skipped" : "Rejected", reason);
		return unwritten(bucket, key, status, reason);
	}

	private static ResizeSummary.Entry unwritten(@Nullable String bucket, @Nullable String key, Status status,
			@Nullable String reason) {
		return new ResizeSummary.Entry(bucket, key, status, reason, List.of());
	}

	/**
	 * Writes every rendition, or, when one write fails, removes those already written.
	 */
	private List<WrittenObject> write(ObjectCreated event, Rendering rendering) {
		List<WrittenObject> written = new ArrayList<>();
		try {
			for (int i = 0; i < rendering.thumbnails().size(); i++) {
				Thumbnail thumbnail = rendering.thumbnails().get(i);
				Rendition rendition = this.settings.renditions().get(i);
				String key = rendition.keyFor(this.settings.outputPrefix(), event.key());
				BlobInfo stored = this.store.write(event.bucket(), key, thumbnail.bytes(), thumbnail.mediaType(),
						Map.of(SOURCE_KEY_METADATA, event.key(), RENDITION_METADATA, rendition.signature()));
				written.add(new WrittenObject(key, thumbnail.mediaType(), stored.size(), thumbnail.width(),
						thumbnail.height()));
			}
			return written;
		}
		catch (RuntimeException ex) {
			for (WrittenObject object : written) {
				try {
					this.store.delete(event.bucket(), object.key());
				}
				catch (RuntimeException cleanupFailure) {
					ex.addSuppressed(cleanupFailure);
				}
			}
			throw ex;
		}
	}

	private @Nullable String skipReason(ObjectCreated event) {
		if (event.key().startsWith(this.settings.outputPrefix())) {
			return "the key is under " + this.settings.outputPrefix() + ", where thumbnails are written";
		}
		String contentType = event.contentType();
		if (contentType != null && !contentType.isBlank()) {
			String type = contentType.toLowerCase(Locale.ROOT);
			if (!type.startsWith("image/") && !type.startsWith("application/octet-stream")
					&& !type.startsWith("binary/octet-stream")) {
				return "not an image (content type " + contentType + ")";
			}
		}
		return null;
	}

	private static long millisSince(long start) {
		return (System.nanoTime() - start) / 1_000_000;
	}

	/**
	 * What the function writes, and its input limit.
	 *
	 * @param outputPrefix where thumbnails go, such as {@code resized/}; keys under it
	 * are never resized
	 * @param renditions the thumbnails written for each image, at least one
	 * @param maxBytes the largest object read, in bytes; larger ones are refused unread
	 */
	public record Settings(String outputPrefix, List<Rendition> renditions, long maxBytes) {

		public Settings {
			if (outputPrefix.isEmpty() || !outputPrefix.endsWith("/")) {
				throw new IllegalArgumentException("The output prefix must end with '/', not '" + outputPrefix + "'");
			}
			if (renditions.isEmpty()) {
				throw new IllegalArgumentException("At least one rendition is needed");
			}
			renditions = List.copyOf(renditions);
		}

	}

}
