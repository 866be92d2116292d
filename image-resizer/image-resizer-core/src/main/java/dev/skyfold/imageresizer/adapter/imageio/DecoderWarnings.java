package dev.skyfold.imageresizer.adapter.imageio;

import java.util.Locale;

/**
 * Tells the decoder warnings that mean lost pixel data (a truncated file, a broken
 * entropy stream) from the harmless ones real cameras and editors cause (stray bytes
 * between markers, a missing ICC profile). Decoders fill lost data with grey and only
 * warn, so the first kind must fail the image.
 */
final class DecoderWarnings {

	private DecoderWarnings() {
	}

	static boolean meansDamage(String warning) {
		String text = warning.toLowerCase(Locale.ROOT);
		return text.contains("premature end") || text.contains("truncat") || text.contains("bad huffman");
	}

}
