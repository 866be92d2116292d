package dev.skyfold.local;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Arrays;

import javax.imageio.ImageIO;

import dev.skyfold.testsupport.contract.Samples;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Images for the local app's tests: the fixtures of {@code src/test/resources/images} and
 * generated ones (large photos, truncated files, PNGs that lie about their size).
 */
final class TestImages {

	/** The colour of the left half of a generated photo. */
	static final Color PHOTO_LEFT = new Color(200, 30, 30);

	/** The colour of the right half of a generated photo. */
	static final Color PHOTO_RIGHT = new Color(30, 30, 200);

	private TestImages() {
	}

	/**
	 * Reads a fixture.
	 * @param name its file name under {@code images/}
	 * @return its bytes
	 */
	static byte[] fixture(String name) {
		try (InputStream in = TestImages.class.getResourceAsStream("/images/" + name)) {
			assertThat(in).as("fixture images/%s", name).isNotNull();
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A photo-sized JPEG: the left half {@link #PHOTO_LEFT}, the right half
	 * {@link #PHOTO_RIGHT}, both with a fine low-contrast texture so that it compresses
	 * like a picture rather than a flat colour.
	 * @param width its width
	 * @param height its height
	 * @return the encoded JPEG
	 */
	static byte[] photoJpeg(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		try {
			int half = width / 2;
			texture(graphics, PHOTO_LEFT, 0, half, height);
			texture(graphics, PHOTO_RIGHT, half, width - half, height);
		}
		finally {
			graphics.dispose();
		}
		return encode(image, "jpeg");
	}

	private static void texture(Graphics2D graphics, Color base, int left, int width, int height) {
		graphics.setClip(left, 0, width, height);
		graphics.setColor(base);
		graphics.fillRect(left, 0, width, height);
		graphics.setColor(base.brighter());
		for (int y = 0; y < height; y += 16) {
			for (int x = left + ((y / 16) % 2) * 16; x < left + width; x += 32) {
				graphics.fillRect(x, y, 16, 16);
			}
		}
		graphics.setClip(null);
	}

	/**
	 * A PNG with an alpha channel: the left half opaque green, the right half fully
	 * transparent.
	 * @param width its width
	 * @param height its height
	 * @return the encoded PNG
	 */
	static byte[] pngWithAlpha(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_ARGB);
		Graphics2D graphics = image.createGraphics();
		try {
			graphics.setColor(new Color(0, 200, 0, 255));
			graphics.fillRect(0, 0, width / 2, height);
		}
		finally {
			graphics.dispose();
		}
		return encode(image, "png");
	}

	/**
	 * A small, well-formed PNG header whose IHDR claims the given size: decoders learn
	 * the size without decoding a pixel, so the pixel limit must refuse it up front.
	 * @param width the claimed width
	 * @param height the claimed height
	 * @return the PNG bytes
	 */
	static byte[] pngClaimingSize(int width, int height) {
		return Samples.pngClaimingSize(width, height);
	}

	/**
	 * The first half of an image, as an interrupted upload leaves it.
	 * @param image the encoded image
	 * @return its first half
	 */
	static byte[] truncated(byte[] image) {
		return Arrays.copyOf(image, image.length / 2);
	}

	/**
	 * Decodes an image with plain ImageIO, as any client would.
	 * @param encoded the encoded image
	 * @return the decoded image
	 */
	static BufferedImage decode(byte[] encoded) {
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
			assertThat(image).as("ImageIO decodes the %d bytes served", encoded.length).isNotNull();
			return image;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A pixel's colour with its alpha.
	 * @param image the image
	 * @param x the column
	 * @param y the row
	 * @return the colour
	 */
	static Color pixel(BufferedImage image, int x, int y) {
		return new Color(image.getRGB(x, y), true);
	}

	private static byte[] encode(BufferedImage image, String format) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			assertThat(ImageIO.write(image, format, bytes)).as("ImageIO writes %s", format).isTrue();
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
