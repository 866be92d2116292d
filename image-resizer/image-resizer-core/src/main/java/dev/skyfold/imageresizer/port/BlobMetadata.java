package dev.skyfold.imageresizer.port;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The user metadata convention of
 * {@link BlobStore#write(String, String, byte[], String, java.util.Map)}: which names are
 * allowed, and how a value travels in an HTTP header (S3, Azure Blob) or a line of text
 * (the folder store) and back.
 */
public final class BlobMetadata {

	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

	private static final String WORD_START = "=?UTF-8?B?";

	private static final String WORD_END = "?=";

	private BlobMetadata() {
	}

	/**
	 * Checks a metadata name: lower-case letters, digits and dashes, starting with a
	 * letter, which every store can keep in its own convention.
	 * @param name the name
	 * @return the name
	 * @throws IllegalArgumentException when the name breaks the convention
	 */
	public static String checkName(String name) {
		if (!NAME.matcher(name).matches()) {
			throw new IllegalArgumentException(
					"A metadata name is lower-case letters, digits and dashes, starting with a letter, not '" + name
							+ "'");
		}
		return name;
	}

	/**
	 * A metadata value as an HTTP header carries it: as it is when it is printable ASCII
	 * without spaces at either end, else as an RFC 2047 encoded word, which the stores
	 * keep as it is.
	 * @param value the value
	 * @return the header value
	 */
	public static String headerValue(String value) {
		return headerSafe(value) ? value
				: WORD_START + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + WORD_END;
	}

	/**
	 * A metadata value as {@link #headerValue(String)} sent it: an encoded word decoded,
	 * anything else as it is.
	 * @param headerValue the value a store gave back
	 * @return the value as written
	 */
	public static String value(String headerValue) {
		if (headerValue.startsWith(WORD_START) && headerValue.endsWith(WORD_END)
				&& headerValue.length() >= WORD_START.length() + WORD_END.length()) {
			String encoded = headerValue.substring(WORD_START.length(), headerValue.length() - WORD_END.length());
			try {
				return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
			}
			catch (IllegalArgumentException ex) {
				// Written by someone else, in another encoding: keep it as it is.
				return headerValue;
			}
		}
		return headerValue;
	}

	private static boolean headerSafe(String value) {
		if (value.isEmpty()) {
			return true;
		}
		if (value.startsWith(" ") || value.endsWith(" ") || value.startsWith("=?")) {
			return false;
		}
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c < 0x20 || c > 0x7e) {
				return false;
			}
		}
		return true;
	}

}
