package dev.skyfold.imageresizer;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Iterator;
import java.util.Locale;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer.Settings;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The image fixtures of {@code src/test/resources/images} (see its README for their pixel
 * facts) and the helpers the tests use to look at encoded images.
 */
public final class TestImages {

	public static final int[] RED = { 255, 0, 0 };

	public static final int[] GREEN = { 0, 255, 0 };

	public static final int[] BLUE = { 0, 0, 255 };

	public static final int[] WHITE = { 255, 255, 255 };

	private TestImages() {
	}

	/**
	 * Reads a fixture.
	 * @param name its file name under {@code images/}
	 * @return its bytes
	 */
	public static byte[] fixture(String name) {
		try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
			assertThat(in).as("fixture images/%s", name).isNotNull();
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Decodes an encoded image with plain ImageIO, as a client of the resizer would.
	 * @param encoded the image
	 * @return the decoded image
	 */
	public static BufferedImage decode(byte[] encoded) {
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
			assertThat(image).as("ImageIO decodes the output").isNotNull();
			return image;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Tells an encoded image's format from its bytes, the way ImageIO picks a reader.
	 * @param encoded the image
	 * @return the lower-case format name, such as {@code jpeg}
	 */
	public static String sniffFormat(byte[] encoded) {
		try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(encoded))) {
			Iterator<ImageReader> readers = ImageIO.getImageReaders(input);
			assertThat(readers.hasNext()).as("some ImageIO reader recognises the output").isTrue();
			return readers.next().getFormatName().toLowerCase(Locale.ROOT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * The media type of a sniffed format.
	 * @param format the format name from {@link #sniffFormat(byte[])}
	 * @return the media type
	 */
	public static String mediaTypeOf(String format) {
		return switch (format) {
			case "jpeg", "jpg" -> "image/jpeg";
			case "png" -> "image/png";
			case "gif" -> "image/gif";
			case "bmp" -> "image/bmp";
			case "webp" -> "image/webp";
			default -> "unexpected format " + format;
		};
	}

	/**
	 * A pixel as 8-bit red, green, blue and alpha. Grey images are read from their raster
	 * samples, because {@code getRGB} treats their grey as linear light and returns it
	 * lighter than it is stored.
	 * @param image the image
	 * @param x the column
	 * @param y the row
	 * @return {@code {r, g, b, a}}
	 */
	public static int[] pixel(BufferedImage image, int x, int y) {
		if (image.getColorModel().getColorSpace().getType() == ColorSpace.TYPE_GRAY
				&& image.getColorModel().getNumColorComponents() == 1
				&& image.getType() != BufferedImage.TYPE_BYTE_INDEXED
				&& image.getType() != BufferedImage.TYPE_BYTE_BINARY) {
			Raster raster = image.getRaster();
			int gray = to8Bits(raster.getSample(x, y, 0), image.getColorModel().getComponentSize(0));
			int alpha = image.getColorModel().hasAlpha()
					? to8Bits(raster.getSample(x, y, 1), image.getColorModel().getComponentSize(1)) : 255;
			return new int[] { gray, gray, gray, alpha };
		}
		int argb = image.getRGB(x, y);
		return new int[] { (argb >> 16) & 0xff, (argb >> 8) & 0xff, argb & 0xff, (argb >>> 24) };
	}

	private static int to8Bits(int sample, int bits) {
		int max = (1 << bits) - 1;
		return (sample * 255 + max / 2) / max;
	}

	/**
	 * Asserts a pixel's colour, each channel within a tolerance.
	 * @param image the image
	 * @param x the column
	 * @param y the row
	 * @param rgb the expected red, green and blue
	 * @param tolerance how far each channel may be off
	 */
	public static void assertRgb(BufferedImage image, int x, int y, int[] rgb, int tolerance) {
		int[] actual = pixel(image, x, y);
		for (int channel = 0; channel < 3; channel++) {
			assertThat(actual[channel])
				.as("%s of pixel (%d,%d) = (%d,%d,%d), expected about (%d,%d,%d)", "RGB".charAt(channel), x, y,
						actual[0], actual[1], actual[2], rgb[0], rgb[1], rgb[2])
				.isCloseTo(rgb[channel], within(tolerance));
		}
	}

	/**
	 * Asserts a pixel's opacity.
	 * @param image the image
	 * @param x the column
	 * @param y the row
	 * @param alpha the expected alpha, 0 to 255
	 * @param tolerance how far it may be off
	 */
	public static void assertAlpha(BufferedImage image, int x, int y, int alpha, int tolerance) {
		assertThat(image.getColorModel().hasAlpha()).as("the image has an alpha channel").isTrue();
		assertThat(pixel(image, x, y)[3]).as("alpha of pixel (%d,%d)", x, y).isCloseTo(alpha, within(tolerance));
	}

	/**
	 * Asserts the fixtures' "quadrants" pattern, upright, at the quadrant centres.
	 * @param image the image
	 * @param tolerance how far each channel may be off
	 */
	public static void assertQuadrants(BufferedImage image, int tolerance) {
		int w = image.getWidth();
		int h = image.getHeight();
		assertRgb(image, w / 4, h / 4, RED, tolerance);
		assertRgb(image, 3 * w / 4, h / 4, GREEN, tolerance);
		assertRgb(image, w / 4, 3 * h / 4, BLUE, tolerance);
		assertRgb(image, 3 * w / 4, 3 * h / 4, WHITE, tolerance);
	}

	/**
	 * A PNG whose header claims a size, followed by a few bytes that are no valid image
	 * data: decoding its pixels is bound to fail.
	 * @param width the width the header claims
	 * @param height the height the header claims
	 * @return the PNG
	 */
	public static byte[] pngClaiming(int width, int height) {
		ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put(new byte[] { 8, 2, 0, 0, 0 });
		ByteBuffer png = ByteBuffer.allocate(8 + 25 + 16 + 12);
		png.put(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
		chunk(png, "IHDR", ihdr.array());
		chunk(png, "IDAT", new byte[] { 1, 2, 3, 4 });
		chunk(png, "IEND", new byte[0]);
		return png.array();
	}

	private static void chunk(ByteBuffer png, String type, byte[] data) {
		byte[] typeBytes = type.getBytes(StandardCharsets.US_ASCII);
		CRC32 crc = new CRC32();
		crc.update(typeBytes);
		crc.update(data);
		png.putInt(data.length).put(typeBytes).put(data).putInt((int) crc.getValue());
	}

	/**
	 * A copy of a baseline JPEG whose SOF0 header claims another size; its scan data is
	 * the original's.
	 * @param jpeg a baseline JPEG
	 * @param width the width the header claims
	 * @param height the height the header claims
	 * @return the patched JPEG
	 */
	public static byte[] jpegClaiming(byte[] jpeg, int width, int height) {
		byte[] patched = jpeg.clone();
		int i = 2;
		while (i + 4 < patched.length) {
			assertThat(patched[i] & 0xff).as("JPEG marker at %d", i).isEqualTo(0xff);
			int marker = patched[i + 1] & 0xff;
			int length = ((patched[i + 2] & 0xff) << 8) | (patched[i + 3] & 0xff);
			if (marker == 0xc0) {
				// FF C0, length (2), precision (1), height (2), width (2)
				patched[i + 5] = (byte) (height >> 8);
				patched[i + 6] = (byte) height;
				patched[i + 7] = (byte) (width >> 8);
				patched[i + 8] = (byte) width;
				return patched;
			}
			i += 2 + length;
		}
		return fail("no SOF0 marker in the JPEG");
	}

	/**
	 * The two ways the renderer decodes.
	 */
	public enum Decoder {

		/** ImageIO only (with TwelveMonkeys' plugins). */
		IMAGEIO,

		/** The bundled native decoder for JPEG, ImageIO for the rest. */
		NATIVE;

		/**
		 * A renderer with the default limits that decodes this way.
		 * @return the renderer
		 */
		public ImageIoThumbnailRenderer renderer() {
			Settings defaults = Settings.defaults();
			return renderer(defaults.maxPixels(), defaults.maxBytes(), defaults.maxConcurrentDecodes());
		}

		/**
		 * A renderer that decodes this way; it fails where the native decoder was asked
		 * for and does not load, since its natives ship in the build.
		 * @param maxPixels the pixel limit
		 * @param maxBytes the byte limit
		 * @param maxConcurrentDecodes how many images may be decoded at once
		 * @return the renderer
		 */
		public ImageIoThumbnailRenderer renderer(long maxPixels, long maxBytes, int maxConcurrentDecodes) {
			ImageIoThumbnailRenderer renderer = new ImageIoThumbnailRenderer(new Settings(maxPixels, maxBytes,
					Settings.defaults().jpegQuality(), maxConcurrentDecodes, this == NATIVE));
			assertThat(renderer.usesNativeDecoder()).as("decodes with the native decoder").isEqualTo(this == NATIVE);
			return renderer;
		}

	}

}
