package dev.skyfold.imageresizer.port;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.jspecify.annotations.Nullable;

/**
 * A store whose reads of some keys fail, as a cloud store does when it cannot be reached;
 * everything else goes to the store it wraps.
 *
 * @param store the store that keeps the objects
 * @param keys the keys whose reads fail with an {@link UncheckedIOException}
 */
public record UnreadableKeys(BlobStore store, List<String> keys) implements BlobStore {

	@Override
	public Optional<BlobInfo> stat(String bucket, String key) {
		return this.store.stat(bucket, key);
	}

	@Override
	public Optional<Blob> read(String bucket, String key, long maxBytes) {
		if (this.keys.contains(key)) {
			throw new UncheckedIOException(new IOException("Connection reset reading " + key));
		}
		return this.store.read(bucket, key, maxBytes);
	}

	@Override
	public BlobInfo write(String bucket, String key, byte[] content, String contentType, Map<String, String> metadata) {
		return this.store.write(bucket, key, content, contentType, metadata);
	}

	@Override
	public void delete(String bucket, String key) {
		this.store.delete(bucket, key);
	}

	@Override
	public BlobPage listPage(String bucket, String prefix, @Nullable String continuation, int limit) {
		return this.store.listPage(bucket, prefix, continuation, limit);
	}

}
