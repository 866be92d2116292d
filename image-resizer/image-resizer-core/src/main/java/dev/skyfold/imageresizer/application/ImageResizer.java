package dev.skyfold.imageresizer.application;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.domain.Thumbnail;
import dev.skyfold.imageresizer.domain.WrittenObject;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;
import dev.skyfold.imageresizer.port.ThumbnailRenderer.Rendering;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code resizeImage} function: an object landed in a bucket; write its thumbnails
 * under the output prefix of the same bucket, one per rendition.
 * <p>
 * Objects under the output prefix are skipped (the function's own output would trigger it
 * again, forever), and so are objects that are not images. Every thumbnail is rendered
 * before the first is written, so an image that fails leaves nothing behind; a replayed
 * event rewrites the same bytes.
 */
public class ResizeImageFunction implements Function<ObjectCreated, ResizeResult> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "resizeImage";

	/**
	 * The metadata each thumbnail is written with: the key of the image it was made from.
	 */
	public static final String SOURCE_KEY_METADATA = "source-key";

	private static final Logger log = LoggerFactory.getLogger(ResizeImageFunction.class);

	private final BlobStore store;

	private final ThumbnailRenderer renderer;

	private final Settings settings;

	public ResizeImageFunction(BlobStore store, ThumbnailRenderer renderer, Settings settings) {
		this.store = store;
		this.renderer = renderer;
		this.settings = settings;
	}

	@Override
	public ResizeResult apply(ObjectCreated event) {
		long start = System.nanoTime();
		try {
			ResizeResult result = resize(event, start);
			log.atInfo()
				.addKeyValue("function", NAME)
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
				.addKeyValue("function", NAME)
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
		BlobInfo info = this.store.stat(event.bucket(), event.key()).orElse(null);
		if (info == null) {
			return ResizeResult.skipped(event, "the object no longer exists", millisSince(start));
		}
		if (info.size() > this.settings.maxBytes()) {
			throw new RejectedInputException(Rejection.TOO_LARGE, "Image too large: " + info.size()
					+ " bytes is over the limit of " + this.settings.maxBytes() + " bytes");
		}
		byte[] image = this.store.read(event.bucket(), event.key()).orElse(null);
		if (image == null) {
			return ResizeResult.skipped(event, "the object no longer exists", millisSince(start));
		}
		Rendering rendering;
		try {
			rendering = this.renderer.render(image, this.settings.renditions().stream().map(Rendition::box).toList());
		}
		catch (RejectedInputException ex) {
			if (ex.rejection() == Rejection.UNSUPPORTED) {
				return ResizeResult.skipped(event, "not an image in a supported format", millisSince(start));
			}
			throw ex;
		}
		List<WrittenObject> written = write(event, rendering);
		return ResizeResult.resized(event, rendering.sourceWidth(), rendering.sourceHeight(), written,
				millisSince(start));
	}

	/**
	 * Writes every rendition, or, when one write fails, removes those already written.
	 */
	private List<WrittenObject> write(ObjectCreated event, Rendering rendering) {
		List<WrittenObject> written = new ArrayList<>();
		try {
			for (int i = 0; i < rendering.thumbnails().size(); i++) {
				Thumbnail thumbnail = rendering.thumbnails().get(i);
				String key = this.settings.renditions().get(i).keyFor(this.settings.outputPrefix(), event.key());
				BlobInfo stored = this.store.write(event.bucket(), key, thumbnail.bytes(), thumbnail.mediaType(),
						Map.of(SOURCE_KEY_METADATA, event.key()));
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
	 * @param maxBytes the largest object read, in bytes
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
