package dev.skyfold.imageresizer.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Encoding;
import dev.skyfold.imageresizer.domain.Rendition;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration of the image-resizer functions, under {@code skyfold.image-resizer}.
 */
@ConfigurationProperties("skyfold.image-resizer")
public class ImageResizerProperties {

	/**
	 * Largest width of a thumbnail, in pixels.
	 */
	private int width = 200;

	/**
	 * Largest height of a thumbnail, in pixels.
	 */
	private int height = 200;

	/**
	 * Quality of JPEG thumbnails, from 0 (smallest) to 1 (best).
	 */
	private float jpegQuality = 0.8f;

	/**
	 * Largest image accepted, in pixels (width times height). Larger images are refused
	 * before any pixel is decoded.
	 */
	private long maxPixels = 50_000_000L;

	/**
	 * Largest encoded image accepted.
	 */
	private DataSize maxSize = DataSize.ofMegabytes(50);

	/**
	 * Key prefix thumbnails are written under; objects under it are never resized.
	 */
	private String outputPrefix = "resized/";

	/**
	 * Extra thumbnail sizes by name, each written to {@code <output-prefix><name>/<key>}.
	 */
	private Map<String, Size> renditions = new LinkedHashMap<>();

	/**
	 * How many images may be decoded at once; defaults to the number of CPUs. Bounds the
	 * memory decoding takes under load.
	 */
	private @Nullable Integer maxConcurrentDecodes;

	/**
	 * How much memory outside the Java heap the decodes under way may buffer, in all: a
	 * progressive JPEG's decoder holds all its coefficients, 3 to 6 bytes a pixel. A
	 * decode that needs more waits for the others, and one larger than the whole budget
	 * runs alone. Defaults to a quarter of what the process may use beyond its heap (the
	 * container's limit where there is one), at least 128 MB.
	 */
	private @Nullable DataSize maxDecodeMemory;

	private final NativeDecoder nativeDecoder = new NativeDecoder();

	private final Storage storage = new Storage();

	private final Reconcile reconcile = new Reconcile();

	public int getWidth() {
		return this.width;
	}

	public void setWidth(int width) {
		this.width = width;
	}

	public int getHeight() {
		return this.height;
	}

	public void setHeight(int height) {
		this.height = height;
	}

	public float getJpegQuality() {
		return this.jpegQuality;
	}

	public void setJpegQuality(float jpegQuality) {
		this.jpegQuality = jpegQuality;
	}

	public long getMaxPixels() {
		return this.maxPixels;
	}

	public void setMaxPixels(long maxPixels) {
		this.maxPixels = maxPixels;
	}

	public DataSize getMaxSize() {
		return this.maxSize;
	}

	public void setMaxSize(DataSize maxSize) {
		this.maxSize = maxSize;
	}

	public String getOutputPrefix() {
		return this.outputPrefix;
	}

	public void setOutputPrefix(String outputPrefix) {
		this.outputPrefix = outputPrefix;
	}

	public Map<String, Size> getRenditions() {
		return this.renditions;
	}

	public void setRenditions(Map<String, Size> renditions) {
		this.renditions = renditions;
	}

	public @Nullable Integer getMaxConcurrentDecodes() {
		return this.maxConcurrentDecodes;
	}

	public void setMaxConcurrentDecodes(@Nullable Integer maxConcurrentDecodes) {
		this.maxConcurrentDecodes = maxConcurrentDecodes;
	}

	public @Nullable DataSize getMaxDecodeMemory() {
		return this.maxDecodeMemory;
	}

	public void setMaxDecodeMemory(@Nullable DataSize maxDecodeMemory) {
		this.maxDecodeMemory = maxDecodeMemory;
	}

	public NativeDecoder getNativeDecoder() {
		return this.nativeDecoder;
	}

	public Storage getStorage() {
		return this.storage;
	}

	public Reconcile getReconcile() {
		return this.reconcile;
	}

	/**
	 * The settings of {@code resizeImage} that these properties describe, for every host
	 * that builds the function: the default rendition first, then the named ones.
	 * @return the settings
	 */
	public ImageResizer.Settings toResizeImageSettings() {
		List<Rendition> all = new ArrayList<>();
		all.add(new Rendition("", new Box(this.width, this.height)));
		this.renditions.forEach((name, size) -> all.add(new Rendition(name, new Box(size.getWidth(), size.getHeight()),
				new Encoding(size.getFormat(), size.getQuality()))));
		return new ImageResizer.Settings(this.outputPrefix, all, this.maxSize.toBytes());
	}

	/**
	 * The size of a named rendition.
	 */
	public static class Size {

		/**
		 * Largest width of the rendition, in pixels.
		 */
		private int width = 200;

		/**
		 * Largest height of the rendition, in pixels.
		 */
		private int height = 200;

		/**
		 * The rendition's format: 'auto' (JPEG for photos, PNG for transparency, the
		 * source's own for GIF and BMP) or 'webp' (lossy, transparency kept; needs the
		 * bundled native codec).
		 */
		private Encoding.Format format = Encoding.Format.AUTO;

		/**
		 * The rendition's lossy quality, above 0 and at most 1; defaults to jpeg-quality.
		 */
		private @Nullable Float quality;

		public Encoding.Format getFormat() {
			return this.format;
		}

		public void setFormat(Encoding.Format format) {
			this.format = format;
		}

		public @Nullable Float getQuality() {
			return this.quality;
		}

		public void setQuality(@Nullable Float quality) {
			this.quality = quality;
		}

		public int getWidth() {
			return this.width;
		}

		public void setWidth(int width) {
			this.width = width;
		}

		public int getHeight() {
			return this.height;
		}

		public void setHeight(int height) {
			this.height = height;
		}

	}

	/**
	 * The native JPEG decoder bundled for Linux x86_64 and arm64 (and macOS arm64 in the
	 * local app): libjpeg-turbo with DCT scaling.
	 */
	public static class NativeDecoder {

		/**
		 * Whether to decode JPEG with the bundled native decoder where this platform has
		 * it; ImageIO decodes everything else, and everything when this is off.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

	/**
	 * The scheduled {@code reconcileThumbnails} function.
	 */
	public static class Reconcile {

		/**
		 * Bucket that a run reconciles when its request names none.
		 */
		private String bucket = "";

		/**
		 * How long one run may take: less than the host's timeout; a run that stops
		 * continues at the next.
		 */
		private Duration timeBudget = Duration.ofMinutes(4);

		public String getBucket() {
			return this.bucket;
		}

		public void setBucket(String bucket) {
			this.bucket = bucket;
		}

		public Duration getTimeBudget() {
			return this.timeBudget;
		}

		public void setTimeBudget(Duration timeBudget) {
			this.timeBudget = timeBudget;
		}

	}

	/**
	 * The embedded object store, used when no other store is configured.
	 */
	public static class Storage {

		/**
		 * Folder that holds the local buckets, one sub-folder per bucket.
		 */
		private Path root = Path.of("data");

		public Path getRoot() {
			return this.root;
		}

		public void setRoot(Path root) {
			this.root = root;
		}

	}

}
