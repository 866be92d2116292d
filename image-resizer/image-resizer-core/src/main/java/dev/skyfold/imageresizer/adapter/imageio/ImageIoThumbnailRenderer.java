package dev.skyfold.imageresizer.adapter.imageio;

import java.awt.Graphics2D;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.Semaphore;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageReadParam;
import javax.imageio.ImageReader;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import com.twelvemonkeys.imageio.stream.ByteArrayImageInputStream;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Encoding;
import dev.skyfold.imageresizer.domain.Encoding.Format;
import dev.skyfold.imageresizer.domain.Thumbnail;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import net.coobird.thumbnailator.Thumbnails;
import net.coobird.thumbnailator.util.exif.ExifFilterUtils;
import net.coobird.thumbnailator.util.exif.ExifUtils;
import net.coobird.thumbnailator.util.exif.Orientation;
import org.jspecify.annotations.Nullable;

/**
 * Renders thumbnails with ImageIO's decoders (TwelveMonkeys for CMYK JPEG, WebP and BMP),
 * shrinking on load, and Thumbnailator for the final high-quality step.
 * <p>
 * The image's size is read from its header before any pixel is decoded, so an image over
 * the pixel limit never costs its memory. The decoder then produces a reduced image about
 * twice the largest thumbnail (DCT scaling in the bundled libjpeg-turbo for JPEG, ImageIO
 * source subsampling otherwise), which Thumbnailator filters down to size. Safe to call
 * from many threads; at most {@code maxConcurrentDecodes} images are decoded at once, and
 * progressive JPEGs, whose decoders buffer every coefficient outside the Java heap, take
 * at most {@code maxDecodeMemory} of it at once ({@link NativeDecodeMemory}).
 */
public final class ImageIoThumbnailRenderer implements ThumbnailRenderer {

	static {
		// Register TwelveMonkeys' readers even where ImageIO initialised before they were
		// on
		// the class path (fat jars, Lambda).
		ImageIO.scanForPlugins();
	}

	private final Settings settings;

	private final @Nullable Leptonica nativeDecoder;

	private final Semaphore decodes;

	private final NativeDecodeMemory decodeMemory;

	public ImageIoThumbnailRenderer(Settings settings) {
		this.settings = settings;
		this.nativeDecoder = settings.nativeDecoder() ? Leptonica.load().orElse(null) : null;
		this.decodes = new Semaphore(settings.maxConcurrentDecodes(), true);
		this.decodeMemory = new NativeDecodeMemory(settings.maxDecodeMemory());
	}

	/**
	 * Whether JPEG images are decoded by the bundled native decoder.
	 * @return {@code true} when it was asked for and loaded on this platform
	 */
	public boolean usesNativeDecoder() {
		return this.nativeDecoder != null;
	}

	@Override
	public Rendering render(byte[] image, List<Box> boxes, List<Encoding> encodings) {
		if (boxes.isEmpty() || boxes.size() != encodings.size()) {
			throw new IllegalArgumentException("At least one box, and one encoding per box, are needed");
		}
		if (this.nativeDecoder == null && encodings.stream().anyMatch((encoding) -> encoding.format() == Format.WEBP)) {
			throw new IllegalStateException("WebP thumbnails need the bundled native codec, which is "
					+ (this.settings.nativeDecoder() ? "not available on this platform" : "switched off"));
		}
		if (image.length == 0) {
			throw new RejectedInputException(Rejection.INVALID, "Unsupported or corrupt image: the input is empty");
		}
		if (image.length > this.settings.maxBytes()) {
			throw new RejectedInputException(Rejection.TOO_LARGE, "Image too large: " + image.length
					+ " bytes is over the limit of " + this.settings.maxBytes() + " bytes");
		}
		try {
			this.decodes.acquire();
		}
		catch (InterruptedException ex) {
			throw interrupted(ex);
		}
		try (ImageInputStream input = new ByteArrayImageInputStream(image)) {
			ImageReader reader = readerFor(input);
			try {
				return render(reader, image, boxes, encodings);
			}
			finally {
				reader.dispose();
			}
		}
		catch (IOException | RuntimeException ex) {
			if (ex instanceof RejectedInputException rejected) {
				throw rejected;
			}
			// Decoders signal damaged data with all kinds of runtime exceptions.
			throw new RejectedInputException(Rejection.INVALID,
					"Unsupported or corrupt image: " + Optional.ofNullable(ex.getMessage()).orElse(ex.toString()), ex);
		}
		finally {
			this.decodes.release();
		}
	}

	private static IllegalStateException interrupted(InterruptedException ex) {
		Thread.currentThread().interrupt();
		return new IllegalStateException("Interrupted while waiting to decode an image", ex);
	}

	private static ImageReader readerFor(ImageInputStream input) {
		Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
		if (!readers.hasNext()) {
			throw new RejectedInputException(Rejection.UNSUPPORTED,
					"Unsupported or corrupt image: not a JPEG, PNG, GIF, BMP or WebP image");
		}
		ImageReader reader = readers.next();
		reader.setInput(input, false, false);
		return reader;
	}

	private Rendering render(ImageReader reader, byte[] image, List<Box> boxes, List<Encoding> encodings)
			throws IOException {
		String format = reader.getFormatName().toLowerCase(Locale.ROOT);
		int width = reader.getWidth(0);
		int height = reader.getHeight(0);
		if ((long) width * height > this.settings.maxPixels()) {
			throw new RejectedInputException(Rejection.TOO_LARGE, "Image too large: " + width + "x" + height + " is "
					+ (long) width * height + " pixels, over the limit of " + this.settings.maxPixels());
		}
		Orientation orientation = "jpeg".equals(format) ? exifOrientation(reader) : Orientation.TOP_LEFT;
		boolean quarterTurn = orientation.ordinal() >= Orientation.LEFT_TOP.ordinal();
		int uprightWidth = quarterTurn ? height : width;
		int uprightHeight = quarterTurn ? width : height;
		List<Box> sizes = boxes.stream().map((box) -> box.fit(uprightWidth, uprightHeight)).toList();
		Box largest = sizes.stream()
			.max(Comparator.comparingLong((size) -> (long) size.width() * size.height()))
			.orElseThrow();
		// Decode to about twice the largest thumbnail, so the final filter has detail to
		// work with and subsampling does not alias.
		int minWidth = Math.min(width, 2 * (quarterTurn ? largest.height() : largest.width()));
		int minHeight = Math.min(height, 2 * (quarterTurn ? largest.width() : largest.height()));
		NativeDecodeMemory.Lease memory;
		try {
			memory = this.decodeMemory.reserve(image, format);
		}
		catch (InterruptedException ex) {
			throw interrupted(ex);
		}
		BufferedImage decoded;
		try (memory) {
			decoded = standardize(decode(reader, format, image, minWidth, minHeight));
		}
		boolean alpha = decoded.getColorModel().hasAlpha();
		if (orientation != Orientation.TOP_LEFT) {
			decoded = ExifFilterUtils.getFilterForOrientation(orientation).apply(decoded);
			if (!alpha && decoded.getColorModel().hasAlpha()) {
				// The turn gives every image an alpha channel; JPEG has none.
				decoded = redraw(decoded, BufferedImage.TYPE_INT_RGB);
			}
		}
		List<Thumbnail> thumbnails = new ArrayList<>(sizes.size());
		for (int i = 0; i < sizes.size(); i++) {
			Encoding encoding = encodings.get(i);
			OutputFormat output = (encoding.format() == Format.WEBP) ? OutputFormat.WEBP
					: OutputFormat.forSource(format, alpha);
			BufferedImage scaled = scale(decoded, sizes.get(i), alpha);
			float quality = (encoding.quality() != null) ? encoding.quality() : this.settings.jpegQuality();
			thumbnails.add(new Thumbnail(encode(scaled, output, quality), output.mediaType, scaled.getWidth(),
					scaled.getHeight()));
		}
		return new Rendering(format, uprightWidth, uprightHeight, thumbnails);
	}

	private static Orientation exifOrientation(ImageReader reader) {
		try {
			Orientation orientation = ExifUtils.getExifOrientation(reader, 0);
			return (orientation != null) ? orientation : Orientation.TOP_LEFT;
		}
		catch (IOException | RuntimeException ex) {
			// A damaged EXIF block does not make the picture unusable: show it as stored.
			return Orientation.TOP_LEFT;
		}
	}

	private BufferedImage decode(ImageReader reader, String format, byte[] image, int minWidth, int minHeight)
			throws IOException {
		if (this.nativeDecoder != null && "jpeg".equals(format)) {
			BufferedImage decoded = this.nativeDecoder.decode(image, minWidth, minHeight);
			if (decoded != null) {
				return decoded;
			}
		}
		ImageReadParam param = reader.getDefaultReadParam();
		int step = Math.max(1, Math.min(reader.getWidth(0) / minWidth, reader.getHeight(0) / minHeight));
		if (step > 1) {
			param.setSourceSubsampling(step, step, 0, 0);
		}
		List<String> warnings = new ArrayList<>();
		reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
		BufferedImage decoded = reader.read(0, param);
		for (String warning : warnings) {
			if (DecoderWarnings.meansDamage(warning)) {
				throw new IOException(warning);
			}
		}
		return decoded;
	}

	/**
	 * Converts a decoded image to a type Java2D scales correctly and fast. Grey images
	 * with alpha or 16-bit samples are copied sample by sample: Java2D would treat their
	 * grey as linear light and render them too light.
	 */
	private static BufferedImage standardize(BufferedImage image) {
		switch (image.getType()) {
			case BufferedImage.TYPE_INT_RGB, BufferedImage.TYPE_INT_ARGB, BufferedImage.TYPE_BYTE_GRAY,
					BufferedImage.TYPE_3BYTE_BGR, BufferedImage.TYPE_4BYTE_ABGR:
				return image;
			default:
				break;
		}
		ColorModel model = image.getColorModel();
		if (model.getColorSpace().getType() == ColorSpace.TYPE_GRAY && !(model instanceof IndexColorModel)) {
			return copyGray(image);
		}
		return redraw(image, model.hasAlpha() ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB);
	}

	private static BufferedImage redraw(BufferedImage image, int type) {
		BufferedImage copy = new BufferedImage(image.getWidth(), image.getHeight(), type);
		Graphics2D graphics = copy.createGraphics();
		try {
			graphics.drawImage(image, 0, 0, null);
		}
		finally {
			graphics.dispose();
		}
		return copy;
	}

	private static BufferedImage copyGray(BufferedImage image) {
		ColorModel model = image.getColorModel();
		boolean alpha = model.hasAlpha();
		int width = image.getWidth();
		int height = image.getHeight();
		int grayMax = (1 << model.getComponentSize(0)) - 1;
		int alphaMax = alpha ? (1 << model.getComponentSize(1)) - 1 : 1;
		WritableRaster source = image.getRaster();
		int bands = source.getNumBands();
		BufferedImage copy = new BufferedImage(width, height,
				alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_BYTE_GRAY);
		int[] row = new int[width * bands];
		for (int y = 0; y < height; y++) {
			source.getPixels(0, y, width, 1, row);
			for (int x = 0; x < width; x++) {
				int gray = (row[x * bands] * 255 + grayMax / 2) / grayMax;
				if (alpha) {
					int opacity = (row[x * bands + 1] * 255 + alphaMax / 2) / alphaMax;
					copy.setRGB(x, y, (opacity << 24) | (gray << 16) | (gray << 8) | gray);
				}
				else {
					copy.getRaster().setSample(x, y, 0, gray);
				}
			}
		}
		return copy;
	}

	private static BufferedImage scale(BufferedImage image, Box size, boolean alpha) throws IOException {
		if (image.getWidth() == size.width() && image.getHeight() == size.height()) {
			return image;
		}
		return Thumbnails.of(image)
			.forceSize(size.width(), size.height())
			.imageType(alpha ? BufferedImage.TYPE_INT_ARGB : BufferedImage.TYPE_INT_RGB)
			.asBufferedImage();
	}

	private byte[] encode(BufferedImage image, OutputFormat output, float quality) throws IOException {
		if (output == OutputFormat.WEBP) {
			return Objects.requireNonNull(this.nativeDecoder).encodeWebp(image, quality);
		}
		ImageWriter writer = ImageIO.getImageWritersByFormatName(output.formatName).next();
		try {
			ImageWriteParam param = writer.getDefaultWriteParam();
			if (output == OutputFormat.JPEG) {
				param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
				param.setCompressionQuality(quality);
			}
			ByteArrayOutputStream bytes = new ByteArrayOutputStream(16 * 1024);
			try (ImageOutputStream stream = new MemoryCacheImageOutputStream(bytes)) {
				writer.setOutput(stream);
				writer.write(null, new IIOImage(image, null, null), param);
			}
			return bytes.toByteArray();
		}
		finally {
			writer.dispose();
		}
	}

	/**
	 * The thumbnail's format: WebP where the rendition asks for it, else the source's own
	 * where Java writes it, PNG for images with alpha and JPEG for the rest.
	 */
	enum OutputFormat {

		JPEG("jpeg", "image/jpeg"), PNG("png", "image/png"), GIF("gif", "image/gif"), BMP("bmp", "image/bmp"),
		WEBP("webp", "image/webp");

		private final String formatName;

		private final String mediaType;

		OutputFormat(String formatName, String mediaType) {
			this.formatName = formatName;
			this.mediaType = mediaType;
		}

		static OutputFormat forSource(String sourceFormat, boolean alpha) {
			return switch (sourceFormat) {
				case "jpeg" -> JPEG;
				case "png" -> PNG;
				case "gif" -> GIF;
				case "bmp" -> alpha ? PNG : BMP;
				default -> alpha ? PNG : JPEG;
			};
		}

	}

	/**
	 * How the renderer behaves.
	 *
	 * @param maxPixels the largest image accepted, in pixels (width times height)
	 * @param maxBytes the largest encoded image accepted, in bytes
	 * @param jpegQuality the JPEG quality of thumbnails, from 0 to 1
	 * @param maxConcurrentDecodes how many images may be decoded at once
	 * @param nativeDecoder whether to decode JPEG with the bundled native decoder where
	 * this platform has it; {@code false} to always use ImageIO
	 * @param maxDecodeMemory how many bytes outside the Java heap the decodes under way
	 * may buffer, in all ({@link NativeDecodeMemory}); 0 for the default, a quarter of
	 * what the process may use beyond its heap (the container's limit where there is
	 * one), at least 128 MB
	 */
	public record Settings(long maxPixels, long maxBytes, float jpegQuality, int maxConcurrentDecodes,
			boolean nativeDecoder, long maxDecodeMemory) {

		public Settings {
			if (maxPixels < 1 || maxBytes < 1 || maxConcurrentDecodes < 1 || maxDecodeMemory < 0) {
				throw new IllegalArgumentException("Limits must be positive");
			}
			if (jpegQuality <= 0 || jpegQuality > 1) {
				throw new IllegalArgumentException("JPEG quality must be above 0 and at most 1, not " + jpegQuality);
			}
		}

		/**
		 * Settings with the default budget of native decode memory.
		 * @param maxPixels the largest image accepted, in pixels
		 * @param maxBytes the largest encoded image accepted, in bytes
		 * @param jpegQuality the JPEG quality of thumbnails, from 0 to 1
		 * @param maxConcurrentDecodes how many images may be decoded at once
		 * @param nativeDecoder whether to decode JPEG with the bundled native decoder
		 */
		public Settings(long maxPixels, long maxBytes, float jpegQuality, int maxConcurrentDecodes,
				boolean nativeDecoder) {
			this(maxPixels, maxBytes, jpegQuality, maxConcurrentDecodes, nativeDecoder, 0);
		}

		/**
		 * The defaults: 50 MP, 50 MB, JPEG quality 0.8, one decode per CPU, the native
		 * decoder, the default budget of native decode memory.
		 * @return the default settings
		 */
		public static Settings defaults() {
			return new Settings(50_000_000L, 50L * 1024 * 1024, 0.8f, Runtime.getRuntime().availableProcessors(), true);
		}

	}

}
