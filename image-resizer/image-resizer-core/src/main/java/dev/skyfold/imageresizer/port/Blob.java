package dev.skyfold.imageresizer.port;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;

/**
 * An object read whole, with what the store knows about it. Two blobs are equal when they
 * are the same read: the content is compared by reference.
 *
 * @param info the object's key, size, content type and metadata
 * @param content its bytes
 */
public record Blob(BlobInfo info, byte[] content) {

	/** The largest object a store can read whole: the largest Java array. */
	public static final long MAX_BYTES = Integer.MAX_VALUE - 8;

	/**
	 * Checks a read limit, for stores to call before they read.
	 * @param maxBytes the largest object to read, in bytes
	 * @return the limit
	 * @throws IllegalArgumentException when it is negative or over {@link #MAX_BYTES}
	 */
	public static long checkLimit(long maxBytes) {
		if (maxBytes < 0 || maxBytes > MAX_BYTES) {
			throw new IllegalArgumentException("The read limit must be 0 to " + MAX_BYTES + " bytes, not " + maxBytes);
		}
		return maxBytes;
	}

	/**
	 * The refusal of an object over a read limit, which every store raises in the same
	 * words before it reads any of the object's bytes.
	 * @param key the object key
	 * @param size its size in bytes, or what is known of it
	 * @param maxBytes the limit
	 * @return the exception to throw
	 */
	public static RejectedInputException tooLarge(String key, Object size, long maxBytes) {
		return new RejectedInputException(Rejection.TOO_LARGE,
				"Object too large: " + key + " has " + size + " bytes, over the limit of " + maxBytes + " bytes");
	}

}
