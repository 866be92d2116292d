package dev.skyfold.testsupport.loopback.gcs;

import java.time.Instant;
import java.util.Map;

/**
 * An object as {@link CloudStorageServer} holds it: one generation of it, with the
 * properties the JSON API gives back.
 *
 * @param bucket the bucket
 * @param name the object name
 * @param generation its generation, which changes with every write
 * @param metageneration its metageneration, 1 when written and one more with every
 * metadata update
 * @param contentType its media type
 * @param content its bytes; the accessor answers a copy
 * @param metadata its custom metadata, as written
 * @param md5Hash the base64 MD5 digest of its bytes
 * @param crc32c the base64 big-endian CRC32C checksum of its bytes
 * @param timeCreated when this generation was written, to the millisecond as the API
 * shows it
 * @param updated when this generation was written or its metadata last updated
 */
public record StoredObject(String bucket, String name, long generation, long metageneration, String contentType,
		byte[] content, Map<String, String> metadata, String md5Hash, String crc32c, Instant timeCreated,
		Instant updated) {

	public StoredObject {
		content = content.clone();
		metadata = Map.copyOf(metadata);
	}

	@Override
	public byte[] content() {
		return this.content.clone();
	}

	/**
	 * The object's size.
	 * @return its size in bytes
	 */
	public long size() {
		return this.content.length;
	}

	byte[] bytes() {
		return this.content;
	}

}
