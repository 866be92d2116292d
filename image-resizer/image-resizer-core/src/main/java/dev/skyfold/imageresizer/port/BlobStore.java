package dev.skyfold.imageresizer.port;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * Object storage as the resizer sees it: S3, Azure Blob or a local folder.
 * Implementations refuse keys that could leave the bucket with a
 * {@link dev.skyfold.kernel.RejectedInputException}, write each object whole or not at
 * all, and keep its content type and user metadata. {@code BlobStoreContract} in this
 * module's tests says what every store promises.
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
	 * Reads a whole object and its description at once. An object over the limit is
	 * refused before any of its bytes is read.
	 * @param bucket the bucket
	 * @param key the object key
	 * @param maxBytes the largest object to read, at most {@link Blob#MAX_BYTES}
	 * @return the object, or empty when there is no such object
	 * @throws dev.skyfold.kernel.RejectedInputException as
	 * {@link dev.skyfold.kernel.Rejection#TOO_LARGE} ({@link Blob#tooLarge}) when the
	 * object is over the limit
	 */
	Optional<Blob> read(String bucket, String key, long maxBytes);

	/**
	 * Writes (or replaces) a whole object with its content type and user metadata, such
	 * as the key of the object it was made from. Metadata names are lower-case letters,
	 * digits and dashes, starting with a letter ({@link BlobMetadata}); each store keeps
	 * them in its own convention (S3: {@code x-amz-meta-<name>}) and gives them back as
	 * written.
	 * @param bucket the bucket
	 * @param key the object key
	 * @param content the bytes
	 * @param contentType the media type to store with it
	 * @param metadata the user metadata, by name
	 * @return the stored object's description
	 */
	BlobInfo write(String bucket, String key, byte[] content, String contentType, Map<String, String> metadata);

	/**
	 * Writes (or replaces) a whole object without user metadata.
	 * @param bucket the bucket
	 * @param key the object key
	 * @param content the bytes
	 * @param contentType the media type to store with it
	 * @return the stored object's description
	 */
	default BlobInfo write(String bucket, String key, byte[] content, String contentType) {
		return write(bucket, key, content, contentType, Map.of());
	}

	/**
	 * Deletes an object; deleting an absent object is not an error.
	 * @param bucket the bucket
	 * @param key the object key
	 */
	void delete(String bucket, String key);

	/**
	 * Lists one page of the objects whose keys start with a prefix, in key order: a walk
	 * over a bucket of any size in bounded memory, which a later process may continue.
	 * @param bucket the bucket
	 * @param prefix the key prefix, empty for all
	 * @param continuation where the previous page ended, {@code null} to start
	 * @param limit the most objects to answer, at least 1
	 * @return the page, whose continuation is {@code null} after the last one
	 */
	BlobPage listPage(String bucket, String prefix, @Nullable String continuation, int limit);

	/**
	 * Lists the objects whose keys start with a prefix, in key order, however many pages
	 * the store answers in. For a small listing: it holds every object at once.
	 * @param bucket the bucket
	 * @param prefix the key prefix, empty for all
	 * @return the objects, with their metadata
	 */
	default List<BlobInfo> list(String bucket, String prefix) {
		List<BlobInfo> objects = new ArrayList<>();
		String continuation = null;
		do {
			BlobPage page = listPage(bucket, prefix, continuation, BlobPage.DEFAULT_LIMIT);
			objects.addAll(page.objects());
			continuation = page.continuation();
		}
		while (continuation != null);
		return objects;
	}

	/**
	 * One page of a listing.
	 *
	 * @param objects the objects, in key order, with their metadata
	 * @param continuation what continues the listing after them, in this store's own
	 * terms; {@code null} when the listing is complete
	 */
	record BlobPage(List<BlobInfo> objects, @Nullable String continuation) {

		/** A page size that S3 and Azure answer in one request. */
		public static final int DEFAULT_LIMIT = 1000;

		public BlobPage {
			objects = List.copyOf(objects);
		}

	}

}
