package dev.skyfold.imageresizer.adapter.imageio;

import java.awt.image.BufferedImage;
import java.awt.image.DataBufferByte;
import java.awt.image.DataBufferInt;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.bytedeco.javacpp.BytePointer;
import org.bytedeco.javacpp.IntPointer;
import org.bytedeco.javacpp.Loader;
import org.bytedeco.javacpp.Pointer;
import org.bytedeco.javacpp.SizeTPointer;
import org.bytedeco.leptonica.PIX;
import org.bytedeco.leptonica.global.leptonica;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * JPEG decoding and WebP encoding in native code that ships inside the application's
 * jars: the leptonica preset of JavaCPP carries libjpeg-turbo (with SIMD) and libwebp for
 * Linux x86_64 and arm64, so Lambda, Azure and a container decode JPEG straight to a
 * reduced size (DCT scaling) as fast as a laptop with Debian's libjpeg-turbo package,
 * whatever image libraries the JDK brings.
 * <p>
 * PNG stays with ImageIO, measured faster here: its source subsampling converts only the
 * pixels it keeps, while leptonica's libpng path converts every one (a 15 MP PNG took 0.4
 * s to read natively, 0.2 s to decode and subsample with ImageIO). CMYK and YCCK JPEG
 * stay with ImageIO too, whose colour management is the reference. For any JPEG the
 * native decoder warns about or fails on, {@link #decode} answers {@code null} and
 * ImageIO decides, exactly as without this decoder. Every native image is freed before
 * {@code decode} returns and nothing native is shared between calls, so it is safe on
 * many threads.
 */
final class Leptonica {

	private static final Logger log = LoggerFactory.getLogger(Leptonica.class);

	/** Where JavaCPP unpacks the natives; it defaults to {@code ~/.javacpp/cache}. */
	static final String CACHE_DIR_PROPERTY = "org.bytedeco.javacpp.cachedir";

	private static final String MAX_PHYSICAL_BYTES_PROPERTY = "org.bytedeco.javacpp.maxPhysicalBytes";

	private Leptonica() {
	}

	/**
	 * The decoder, loaded once per JVM: the first call unpacks the natives for this
	 * platform (about 10 MB) and loads them.
	 * @return the decoder, or empty where this platform has no bundled natives or they
	 * cannot load (such as a glibc older than 2.34)
	 */
	static Optional<Leptonica> load() {
		return Loaded.DECODER;
	}

	private static final class Loaded {

		static final Optional<Leptonica> DECODER = tryLoad();

	}

	private static Optional<Leptonica> tryLoad() {
		try {
			if (System.getProperty(CACHE_DIR_PROPERTY) == null) {
				cacheDir(Path.of(System.getProperty("user.home", "/")), Path.of(System.getProperty("java.io.tmpdir")))
					.ifPresent((dir) -> System.setProperty(CACHE_DIR_PROPERTY, dir.toString()));
			}
			// JavaCPP refuses its own allocations once the process's resident memory is
			// over twice the heap limit, which an app with a small heap and native
			// decoders reaches; the decoder frees what it allocates itself.
			if (System.getProperty(MAX_PHYSICAL_BYTES_PROPERTY) == null) {
				System.setProperty(MAX_PHYSICAL_BYTES_PROPERTY, "0");
			}
			Loader.load(leptonica.class);
			// Errors come back as nulls and are reported by ImageIO; leptonica's own
			// messages would only repeat them on stderr.
			leptonica.setMsgSeverity(leptonica.L_SEVERITY_NONE);
			log.info("Decoding JPEG with the bundled libjpeg-turbo (JavaCPP's leptonica) for {}", Loader.getPlatform());
			return Optional.of(new Leptonica());
		}
		catch (LinkageError | RuntimeException ex) {
			log.info("The bundled native decoder does not load on {} ({}); decoding with ImageIO only",
					Loader.getPlatform(), ex.toString());
			return Optional.empty();
		}
	}

	/**
	 * Where to unpack the natives when nobody said: JavaCPP's default under the home
	 * folder where that is writable, else under the temporary folder, as on Lambda, whose
	 * only writable folder is {@code /tmp}.
	 * @param home the user's home folder
	 * @param tmp the temporary folder
	 * @return the folder to use, or empty for JavaCPP's default
	 */
	static Optional<Path> cacheDir(Path home, Path tmp) {
		if (Files.isWritable(home)) {
			return Optional.empty();
		}
		return Optional.of(tmp.resolve(".javacpp").resolve("cache"));
	}

	/**
	 * Decodes a JPEG scaled down by the largest factor of 1/2, 1/4 or 1/8 that keeps it
	 * at least the given size.
	 * @param jpeg the encoded image, already checked against the size limits
	 * @param minWidth the smallest acceptable decoded width
	 * @param minHeight the smallest acceptable decoded height
	 * @return the decoded image, or {@code null} when ImageIO should decode it
	 */
	@Nullable BufferedImage decode(byte[] jpeg, int minWidth, int minHeight) {
		int[] width = new int[1];
		int[] height = new int[1];
		int[] samples = new int[1];
		int[] ycck = new int[1];
		int[] cmyk = new int[1];
		if (leptonica.readHeaderMemJpeg(jpeg, jpeg.length, width, height, samples, ycck, cmyk) != 0 || samples[0] == 4
				|| ycck[0] != 0 || cmyk[0] != 0) {
			return null;
		}
		int reduction = 8;
		while (reduction > 1
				&& (ceilDiv(width[0], reduction) < minWidth || ceilDiv(height[0], reduction) < minHeight)) {
			reduction /= 2;
		}
		int[] warned = new int[1];
		PIX pix = leptonica.pixReadMemJpeg(jpeg, jpeg.length, 0, reduction, warned, 0);
		if (pix == null || pix.isNull()) {
			return null;
		}
		try {
			// A warning may mean lost data; ImageIO tells which (see DecoderWarnings).
			return (warned[0] != 0) ? null : copy(pix);
		}
		finally {
			leptonica.pixDestroy(pix);
		}
	}

	/**
	 * Copies a native image to the heap.
	 * @return the copy, or {@code null} for a layout this class does not copy
	 */
	private static @Nullable BufferedImage copy(PIX pix) {
		int width = leptonica.pixGetWidth(pix);
		int height = leptonica.pixGetHeight(pix);
		int wpl = leptonica.pixGetWpl(pix);
		int depth = leptonica.pixGetDepth(pix);
		IntPointer data = leptonica.pixGetData(pix).capacity((long) wpl * height);
		int[] row = new int[wpl];
		if (depth == 32) {
			BufferedImage copy = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
			int[] out = ((DataBufferInt) copy.getRaster().getDataBuffer()).getData();
			for (int y = 0; y < height; y++) {
				data.position((long) y * wpl).get(row, 0, wpl);
				for (int x = 0; x < width; x++) {
					// Leptonica's words are R<<24 | G<<16 | B<<8 | A.
					out[y * width + x] = row[x] >>> 8;
				}
			}
			return copy;
		}
		if (depth == 8 && (leptonica.pixGetColormap(pix) == null || leptonica.pixGetColormap(pix).isNull())) {
			BufferedImage copy = new BufferedImage(width, height, BufferedImage.TYPE_BYTE_GRAY);
			byte[] out = ((DataBufferByte) copy.getRaster().getDataBuffer()).getData();
			for (int y = 0; y < height; y++) {
				data.position((long) y * wpl).get(row, 0, wpl);
				for (int x = 0; x < width; x++) {
					// Leptonica keeps bytes in big-endian order within each 32-bit word.
					out[y * width + x] = (byte) (row[x >> 2] >>> (24 - 8 * (x & 3)));
				}
			}
			return copy;
		}
		return null;
	}

	/**
	 * Encodes an image as lossy WebP (libwebp), keeping its transparency.
	 * @param image an image of type {@code TYPE_INT_RGB} or {@code TYPE_INT_ARGB}
	 * @param quality the quality, above 0 and at most 1
	 * @return the WebP bytes
	 */
	byte[] encodeWebp(BufferedImage image, float quality) {
		int width = image.getWidth();
		int height = image.getHeight();
		boolean alpha = image.getColorModel().hasAlpha();
		PIX pix = leptonica.pixCreate(width, height, 32);
		if (pix == null || pix.isNull()) {
			throw new OutOfMemoryError("No native memory for a " + width + "x" + height + " image");
		}
		try (BytePointer encoded = new BytePointer((Pointer) null); SizeTPointer size = new SizeTPointer(1)) {
			leptonica.pixSetSpp(pix, alpha ? 4 : 3);
			int wpl = leptonica.pixGetWpl(pix);
			IntPointer data = leptonica.pixGetData(pix).capacity((long) wpl * height);
			int[] argb = new int[width];
			for (int y = 0; y < height; y++) {
				image.getRGB(0, y, width, 1, argb, 0, width);
				for (int x = 0; x < width; x++) {
					// ARGB to leptonica's R<<24 | G<<16 | B<<8 | A.
					argb[x] = (argb[x] << 8) | (alpha ? (argb[x] >>> 24) : 0xff);
				}
				data.position((long) y * wpl).put(argb, 0, width);
			}
			if (leptonica.pixWriteMemWebP(encoded, size, pix, Math.round(quality * 100), 0) != 0 || encoded.isNull()) {
				throw new IllegalStateException("libwebp could not encode a " + width + "x" + height + " image");
			}
			try {
				byte[] bytes = new byte[Math.toIntExact(size.get())];
				encoded.get(bytes);
				return bytes;
			}
			finally {
				leptonica.lept_free(encoded);
			}
		}
		finally {
			leptonica.pixDestroy(pix);
		}
	}

	private static int ceilDiv(int value, int divisor) {
		return (value + divisor - 1) / divisor;
	}

}
