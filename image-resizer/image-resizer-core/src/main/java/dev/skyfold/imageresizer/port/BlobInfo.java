package dev.skyfold.imageresizer.port;

import java.time.Instant;
import java.util.Map;

/**
 * What a store knows about an object, short of its bytes.
 *
 * @param key the object key
 * @param size its size in bytes
 * @param contentType its media type
 * @param lastModified when it was last written
 * @param metadata its user metadata by name, as written ({@link BlobMetadata})
 */
public record BlobInfo(String key, long size, String contentType, Instant lastModified, Map<String, String> metadata) {

	public BlobInfo {
		metadata = Map.copyOf(metadata);
	}

}
