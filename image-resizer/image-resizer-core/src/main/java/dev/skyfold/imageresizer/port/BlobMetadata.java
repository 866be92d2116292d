package dev.skyfold.imageresizer.port;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.regex.Pattern;

/**
 * The user metadata convention of
 * {@link BlobStore#write(String, String, byte[], String, java.util.Map)}, for the stores
 * that keep metadata in HTTP headers (S3, Azure Blob): which names are allowed, and how a
 * value travels in a header.
 */
public final class BlobMetadata {

	private static final Pattern NAME = Pattern.compile("[a-z][a-z0-9-]*");

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
				: "=?UTF-8?B?" + Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8)) + "?=";
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
