package dev.skyfold.testsupport.contract;

import java.util.Optional;

/**
 * A host's driver for the image functions: it turns a contract call into the host's
 * native invocation (a bean call, an HTTP request, an S3 notification, an Event Grid
 * event, a CloudEvent) and the host's answer back into an {@link Answer}.
 */
public interface ImageHost {

	/**
	 * The host this driver runs the functions on.
	 * @return the host
	 */
	Host host();

	/**
	 * Stores an object in the bucket the host's {@code resizeImage} watches, without
	 * triggering it.
	 * @param key the object key
	 * @param content the bytes
	 * @param contentType the content type
	 */
	void putObject(String key, byte[] content, String contentType);

	/**
	 * Reads an object back from that bucket.
	 * @param key the object key
	 * @return its bytes, or empty when there is no such object
	 */
	Optional<byte[]> object(String key);

	/**
	 * Calls {@code thumbnail}; only called where the host exposes it.
	 * @param caller who calls
	 * @param image the image bytes
	 * @return the thumbnail's bytes, described as {@code {contentType, width, height}},
	 * or the refusal
	 */
	Answer thumbnail(Caller caller, byte[] image);

	/**
	 * Tells {@code resizeImage} that an object was created, the host's native way.
	 * @param caller who calls, where the trigger has a caller; ignored otherwise
	 * @param key the key of the object created
	 * @return the result as {@code {outcome, reason, written[]}}, where each written
	 * entry is a key or an object with a {@code key}, or the refusal
	 */
	Answer resizeImage(Caller caller, String key);

}
