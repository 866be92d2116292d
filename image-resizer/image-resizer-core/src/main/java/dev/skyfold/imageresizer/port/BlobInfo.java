package dev.skyfold.imageresizer.port;

import java.time.Instant;

/**
 * What a store knows about an object, short of its bytes.
 *
 * @param key the object key
 * @param size its size in bytes
 * @param contentType its media type
 * @param lastModified when it was last written
 */
public record BlobInfo(String key, long size, String contentType, Instant lastModified) {
}
