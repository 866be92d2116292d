package dev.skyfold.imageresizer.port;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Object storage as the resizer sees it: S3, Azure Blob or a local folder.
 * Implementations refuse keys that could leave the bucket with a
 * {@link dev.skyfold.kernel.RejectedInputException}, and write each object whole or not
 * at all.
 */
public interface BlobStore {

	/**
	 * Describes an object without reading it.
	 * @param bucket the bucket
	 * @param key the object key
	 * @return the object's description, or empty when there is no such object
	 */
	Optional<BlobInfo> stat(String bucket, String key);

	/**
	 * Reads a whole object.
	 * @param bucket the bucket
	 * @param key the object key
	 * @return the object's bytes, or empty when there is no such object
	 */
	Optional<byte[]> read(String bucket, String key);

	/**
	 * Writes (or replaces) a whole object.
	 * @param bucket the bucket
	 * @param key the object key
	 * @param content the bytes
	 * @param contentType the media type to store with it
	 * @return the stored object's description
	 */
	BlobInfo write(String bucket, String key, byte[] content, String contentType);

	/**
	 * Writes (or replaces) a whole object with user metadata, such as the key of the
	 * object it was made from. Metadata names are lower-case letters, digits and dashes,
	 * starting with a letter ({@link BlobMetadata}); each store keeps them in its own
	 * convention (S3: {@code x-amz-meta-<name>}). Stores without user metadata keep the
	 * content type only, which is what this default does.
	 * @param bucket the bucket
	 * @param key the object key
	 * @param content the bytes
	 * @param contentType the media type to store with it
	 * @param metadata the user metadata, by name
	 * @return the stored object's description
	 */
	default BlobInfo write(String bucket, String key, byte[] content, String contentType,
			Map<String, String> metadata) {
		return write(bucket, key, content, contentType);
	}

	/**
	 * Deletes an object; deleting an absent object is not an error.
	 * @param bucket the bucket
	 * @param key the object key
	 */
	void delete(String bucket, String key);

	/**
	 * Lists the objects whose keys start with a prefix, in key order.
	 * @param bucket the bucket
	 * @param prefix the key prefix, empty for all
	 * @return the objects
	 */
	List<BlobInfo> list(String bucket, String prefix);

}
