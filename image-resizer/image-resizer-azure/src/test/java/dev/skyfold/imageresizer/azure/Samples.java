package dev.skyfold.imageresizer.azure;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import javax.imageio.ImageIO;

/**
 * The sample events under {@code src/test/resources/events/} and a real JPEG.
 */
public final class Samples {

	private Samples() {
	}

	/**
	 * A sample event's JSON.
	 * @param name its file name under {@code events/}
	 * @return the JSON
	 */
	public static String event(String name) {
		try (InputStream in = Samples.class.getResourceAsStream("/events/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("No sample event " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A JPEG photo of the given size, encoded by ImageIO.
	 * @param width its width
	 * @param height its height
	 * @return the JPEG's bytes
	 */
	public static byte[] jpeg(int width, int height) {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(40, 90, 160));
		graphics.fillRect(0, 0, width, height);
		graphics.setColor(new Color(230, 180, 40));
		graphics.fillOval(width / 4, height / 4, width / 2, height / 2);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			ImageIO.write(image, "jpeg", out);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

}
