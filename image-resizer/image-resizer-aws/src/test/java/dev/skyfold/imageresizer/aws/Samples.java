package dev.skyfold.imageresizer.aws;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

import javax.imageio.ImageIO;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the module's tests feed the function: the sample events under
 * {@code src/test/resources/events} and images drawn on the spot.
 */
public final class Samples {

	private Samples() {
	}

	/**
	 * A sample event.
	 * @param name its file name under {@code events/}
	 * @return its JSON
	 */
	public static byte[] event(String name) {
		try (InputStream in = Samples.class.getResourceAsStream("/events/" + name)) {
			assertThat(in).as("sample event events/%s", name).isNotNull();
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A sample event as text.
	 * @param name its file name under {@code events/}
	 * @return its JSON
	 */
	public static String eventText(String name) {
		return new String(event(name), StandardCharsets.UTF_8);
	}

	/**
	 * A JPEG photo-like image: four coloured quadrants.
	 * @param width its width
	 * @param height its height
	 * @return the encoded image
	 */
	public static byte[] jpeg(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(Color.RED);
		graphics.fillRect(0, 0, width / 2, height / 2);
		graphics.setColor(Color.GREEN);
		graphics.fillRect(width / 2, 0, width - width / 2, height / 2);
		graphics.setColor(Color.BLUE);
		graphics.fillRect(0, height / 2, width / 2, height - height / 2);
		graphics.setColor(Color.WHITE);
		graphics.fillRect(width / 2, height / 2, width - width / 2, height - height / 2);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			assertThat(ImageIO.write(image, "jpeg", out)).as("ImageIO writes JPEG").isTrue();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * A JPEG cut off after its headers: an image that cannot be decoded.
	 * @return the corrupt image
	 */
	public static byte[] corruptJpeg() {
		byte[] jpeg = jpeg(400, 300);
		return Arrays.copyOf(jpeg, 700);
	}

	/**
	 * Decodes an image.
	 * @param encoded the encoded image
	 * @return the decoded image
	 */
	public static BufferedImage decode(byte[] encoded) {
		try {
			BufferedImage image = ImageIO.read(new ByteArrayInputStream(encoded));
			assertThat(image).as("ImageIO decodes the image").isNotNull();
			return image;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
