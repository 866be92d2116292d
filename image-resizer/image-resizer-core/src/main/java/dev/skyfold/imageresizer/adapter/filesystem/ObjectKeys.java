package dev.skyfold.imageresizer.adapter.filesystem;

import java.nio.charset.StandardCharsets;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;

/**
 * The object keys a local bucket accepts: what S3 accepts, less what would let a key name
 * a file outside its bucket folder.
 */
final class ObjectKeys {

	private static final int MAX_KEY_BYTES = 1024;

	/** Each segment of a key is a file name here, and file systems cap those. */
	private static final int MAX_SEGMENT_BYTES = 255;

	private ObjectKeys() {
	}

	static void check(String key) {
		if (key.isEmpty()) {
			throw invalid(key, "is empty");
		}
		if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
			throw invalid(key, "is longer than " + MAX_KEY_BYTES + " bytes");
		}
		if (key.startsWith("/")) {
			throw invalid(key, "is an absolute path");
		}
		if (key.endsWith("/")) {
			throw invalid(key, "names a folder, not an object");
		}
		for (int i = 0; i < key.length(); i++) {
			char c = key.charAt(i);
			if (c == '\\' || Character.isISOControl(c)) {
				throw invalid(key, "contains a backslash or a control character");
			}
		}
		for (String segment : key.split("/", -1)) {
			if (segment.isEmpty() || segment.equals(".") || segment.equals("..")) {
				throw invalid(key, "has an empty, '.' or '..' path segment");
			}
			if (segment.getBytes(StandardCharsets.UTF_8).length > MAX_SEGMENT_BYTES) {
				throw invalid(key, "has a path segment longer than " + MAX_SEGMENT_BYTES + " bytes");
			}
		}
	}

	private static RejectedInputException invalid(String key, String why) {
		return new RejectedInputException(Rejection.INVALID, "Invalid object key '" + key + "': it " + why);
	}

}
