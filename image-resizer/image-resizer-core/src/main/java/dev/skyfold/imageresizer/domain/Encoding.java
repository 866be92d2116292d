package dev.skyfold.imageresizer.domain;

import java.util.Locale;

import org.jspecify.annotations.Nullable;

/**
 * How a rendition's thumbnails are encoded: in the format that suits the source (JPEG for
 * photos, PNG for images with transparency, the source's own for GIF and BMP), or as
 * WebP, with an optional quality of their own.
 *
 * @param format the output format
 * @param quality the lossy quality, above 0 and at most 1, or {@code null} for the
 * renderer's default
 */
public record Encoding(Format format, @Nullable Float quality) {

	/** The source's format where it suits, at the renderer's quality. */
	public static final Encoding DEFAULT = new Encoding(Format.AUTO, null);

	public Encoding {
		if (quality != null && !(quality > 0 && quality <= 1)) {
			throw new IllegalArgumentException("A quality is above 0 and at most 1, not " + quality);
		}
	}

	/**
	 * What sets this encoding apart from the default, for a rendition's signature.
	 * @return empty for the default, else such as {@code webp q0.75}
	 */
	public String signature() {
		if (equals(DEFAULT)) {
			return "";
		}
		String name = this.format.name().toLowerCase(Locale.ROOT);
		return (this.quality != null) ? name + " q" + this.quality : name;
	}

	/**
	 * The formats a rendition may ask for.
	 */
	public enum Format {

		/** JPEG for photos, PNG for transparency, the source's own for GIF and BMP. */
		AUTO,

		/** WebP: lossy, with the source's transparency kept. */
		WEBP

	}

}
