package dev.skyfold.imageresizer.adapter.imageio;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * libjpeg-turbo's Java API (Debian's {@code libturbojpeg-java}), found at run time. It
 * decodes a JPEG straight to a fraction of its size (DCT scaling), several times faster
 * than decoding it whole. The jar is not in any Maven repository, so it is loaded from
 * where the system package puts it, and the resizer works without it.
 */
final class TurboJpeg {

	private static final Logger log = LoggerFactory.getLogger(TurboJpeg.class);

	/** A native library loads into one class loader per JVM, so one instance per jar. */
	private static final Map<Path, Optional<TurboJpeg>> loaded = new ConcurrentHashMap<>();

	private final MethodHandle open;

	private final MethodHandle colorspace;

	private final MethodHandle width;

	private final MethodHandle height;

	private final MethodHandle decompress;

	private final MethodHandle errorCode;

	private final MethodHandle close;

	private final int cmyk;

	private final int ycck;

	private final int gray;

	private final int warning;

	private TurboJpeg(Class<?> tj, Class<?> decompressor, Class<?> exception) throws ReflectiveOperationException {
		MethodHandles.Lookup lookup = MethodHandles.publicLookup();
		this.open = lookup.findConstructor(decompressor, MethodType.methodType(void.class, byte[].class));
		this.colorspace = lookup.findVirtual(decompressor, "getColorspace", MethodType.methodType(int.class));
		this.width = lookup.findVirtual(decompressor, "getWidth", MethodType.methodType(int.class));
		this.height = lookup.findVirtual(decompressor, "getHeight", MethodType.methodType(int.class));
		this.decompress = lookup.findVirtual(decompressor, "decompress",
				MethodType.methodType(void.class, BufferedImage.class, int.class));
		this.errorCode = lookup.findVirtual(exception, "getErrorCode", MethodType.methodType(int.class));
		this.close = lookup.findVirtual(decompressor, "close", MethodType.methodType(void.class));
		this.cmyk = tj.getField("CS_CMYK").getInt(null);
		this.ycck = tj.getField("CS_YCCK").getInt(null);
		this.gray = tj.getField("CS_GRAY").getInt(null);
		this.warning = tj.getField("ERR_WARNING").getInt(null);
	}

	/**
	 * Loads libjpeg-turbo's Java API from a jar, once per JVM.
	 * @param jar the jar, such as {@code /usr/share/java/turbojpeg.jar}
	 * @return the API, or empty when the jar or its native library is missing
	 */
	static Optional<TurboJpeg> load(Path jar) {
		return loaded.computeIfAbsent(jar.toAbsolutePath().normalize(), TurboJpeg::tryLoad);
	}

	private static Optional<TurboJpeg> tryLoad(Path jar) {
		if (!Files.isReadable(jar)) {
			log.info(
					"libjpeg-turbo's Java API is not at {}; decoding JPEG with ImageIO "
							+ "(install Debian's libturbojpeg-java and libturbojpeg0-dev for faster JPEG decoding)",
					jar);
			return Optional.empty();
		}
		try {
			ClassLoader loader = new URLClassLoader(new URL[] { jar.toUri().toURL() },
					TurboJpeg.class.getClassLoader());
			Class<?> tj = Class.forName("org.libjpegturbo.turbojpeg.TJ", true, loader);
			// Initialising the decompressor class loads the native library.
			Class<?> decompressor = Class.forName("org.libjpegturbo.turbojpeg.TJDecompressor", true, loader);
			Class<?> exception = Class.forName("org.libjpegturbo.turbojpeg.TJException", true, loader);
			TurboJpeg turboJpeg = new TurboJpeg(tj, decompressor, exception);
			log.info("Decoding JPEG with libjpeg-turbo from {}", jar);
			return Optional.of(turboJpeg);
		}
		catch (ReflectiveOperationException | LinkageError | IOException ex) {
			log.info("libjpeg-turbo at {} is unusable ({}); decoding JPEG with ImageIO", jar, ex.toString());
			return Optional.empty();
		}
	}

	/**
	 * Decodes a JPEG scaled down by the largest factor n/8 that keeps it at least the
	 * given size. A warning that means lost data (see {@link DecoderWarnings}) fails the
	 * decode.
	 * @param jpeg the encoded image
	 * @param minWidth the smallest acceptable decoded width
	 * @param minHeight the smallest acceptable decoded height
	 * @return the decoded image, or {@code null} for CMYK and YCCK files, whose colours
	 * need ImageIO's colour management, and for files libjpeg-turbo warns about
	 * @throws IOException when the JPEG is corrupt
	 */
	@Nullable BufferedImage decode(byte[] jpeg, int minWidth, int minHeight) throws IOException {
		Object decompressor = invoke(this.open, jpeg);
		try {
			int colorspace = (int) invoke(this.colorspace, decompressor);
			if (colorspace == this.cmyk || colorspace == this.ycck) {
				return null;
			}
			int fullWidth = (int) invoke(this.width, decompressor);
			int fullHeight = (int) invoke(this.height, decompressor);
			int eighths = 1;
			while (eighths < 8 && (scaled(fullWidth, eighths) < minWidth || scaled(fullHeight, eighths) < minHeight)) {
				eighths++;
			}
			BufferedImage image = new BufferedImage(scaled(fullWidth, eighths), scaled(fullHeight, eighths),
					(colorspace == this.gray) ? BufferedImage.TYPE_BYTE_GRAY : BufferedImage.TYPE_INT_RGB);
			try {
				invoke(this.decompress, decompressor, image, 0);
			}
			catch (IOException ex) {
				if (!isWarning(ex) || DecoderWarnings.meansDamage(String.valueOf(ex.getMessage()))) {
					throw ex;
				}
				// libjpeg-turbo also calls a fatal error that follows a warning a warning
				// (a truncated progressive file: "Bogus Huffman table definition"), so
				// ImageIO, which tells them apart, decodes any file it warns about.
				return null;
			}
			return image;
		}
		finally {
			invoke(this.close, decompressor);
		}
	}

	/** The size libjpeg-turbo gives a dimension scaled by n/8 (its TJSCALED rounding). */
	private static int scaled(int dimension, int eighths) {
		return (dimension * eighths + 7) / 8;
	}

	private boolean isWarning(IOException ex) throws IOException {
		return this.errorCode.type().parameterType(0).isInstance(ex)
				&& (int) invoke(this.errorCode, ex) == this.warning;
	}

	private static Object invoke(MethodHandle handle, Object... arguments) throws IOException {
		try {
			return handle.invokeWithArguments(arguments);
		}
		catch (IOException | RuntimeException | Error ex) {
			throw ex;
		}
		catch (Throwable ex) {
			throw new IOException(ex);
		}
	}

}
