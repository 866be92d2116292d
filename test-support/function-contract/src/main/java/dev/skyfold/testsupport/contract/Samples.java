package dev.skyfold.testsupport.contract;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.UUID;
import java.util.zip.CRC32;

import javax.imageio.ImageIO;

/**
 * The contract's inputs, made in code so that every host gets the same bytes without a
 * shared fixture folder.
 */
public final class Samples {

	/** A 300x900 JPEG, which fits a 200x200 box as 67x200 (or 66x200). */
	public static final byte[] TALL_JPEG = image(300, 900, "jpeg", BufferedImage.TYPE_INT_RGB);

	/** An 800x200 PNG, which fits a 200x200 box as 200x50. */
	public static final byte[] WIDE_PNG = image(800, 200, "png", BufferedImage.TYPE_INT_ARGB);

	/** Plain text, which no image decoder takes. */
	public static final byte[] TEXT = "Not an image: three lines\nof plain\ntext\n".getBytes(StandardCharsets.US_ASCII);

	/** A JPEG cut off after its headers: recognised as a JPEG, not decodable. */
	public static final byte[] TRUNCATED_JPEG = Arrays.copyOf(TALL_JPEG, 600);

	/**
	 * A PNG whose header claims 100,000 x 100,000 pixels, over every host's pixel limit,
	 * which must be refused from its header, before any pixel is allocated.
	 */
	public static final byte[] HUGE_PNG = pngClaimingSize(100_000, 100_000);

	private Samples() {
	}

	/**
	 * A name no other test uses, for rooms and object keys.
	 * @param prefix what the name is for
	 * @return {@code <prefix>-<12 hex digits>}, lower case
	 */
	public static String unique(String prefix) {
		return prefix + "-" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
	}

	private static byte[] image(int width, int height, String format, int type) {
		BufferedImage image = new BufferedImage(width, height, type);
		Graphics2D graphics = image.createGraphics();
		try {
			graphics.setColor(new Color(255, 128, 0));
			graphics.fillRect(0, 0, width, height);
			graphics.setColor(new Color(0, 64, 255));
			graphics.fillRect(width / 4, height / 4, width / 2, height / 2);
		}
		finally {
			graphics.dispose();
		}
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			if (!ImageIO.write(image, format, out)) {
				throw new IllegalStateException("No ImageIO writer for " + format);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return out.toByteArray();
	}

	/**
	 * A small, well-formed PNG whose header claims the given size: decoders learn the
	 * size without decoding a pixel, so a pixel limit must refuse it up front.
	 * @param width the claimed width
	 * @param height the claimed height
	 * @return the PNG bytes
	 */
	public static byte[] pngClaimingSize(int width, int height) {
		try {
			ByteArrayOutputStream bytes = new ByteArrayOutputStream();
			DataOutputStream out = new DataOutputStream(bytes);
			out.write(new byte[] { (byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n' });
			ByteArrayOutputStream header = new ByteArrayOutputStream();
			DataOutputStream fields = new DataOutputStream(header);
			fields.writeInt(width);
			fields.writeInt(height);
			fields.write(new byte[] { 8, 2, 0, 0, 0 });
			chunk(out, "IHDR", header.toByteArray());
			// A zlib stream of a few empty rows: enough to look like a real file.
			chunk(out, "IDAT", new byte[] { 0x78, (byte) 0x9c, 0x63, 0x60, 0x00, 0x00, 0x00, 0x02, 0x00, 0x01 });
			chunk(out, "IEND", new byte[0]);
			return bytes.toByteArray();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static void chunk(DataOutputStream out, String type, byte[] data) throws IOException {
		byte[] name = type.getBytes(StandardCharsets.US_ASCII);
		out.writeInt(data.length);
		out.write(name);
		out.write(data);
		CRC32 crc = new CRC32();
		crc.update(name);
		crc.update(data);
		out.writeInt((int) crc.getValue());
	}

}
