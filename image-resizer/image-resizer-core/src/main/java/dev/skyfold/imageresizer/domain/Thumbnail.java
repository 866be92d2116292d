package dev.skyfold.imageresizer.domain;

/**
 * An encoded thumbnail.
 *
 * @param bytes the encoded image
 * @param mediaType its media type, such as {@code image/jpeg}
 * @param width its width in pixels
 * @param height its height in pixels
 */
public record Thumbnail(byte[] bytes, String mediaType, int width, int height) {

	@Override
	public String toString() {
		return "Thumbnail[" + this.mediaType + " " + this.width + "x" + this.height + ", " + this.bytes.length
				+ " bytes]";
	}

}
