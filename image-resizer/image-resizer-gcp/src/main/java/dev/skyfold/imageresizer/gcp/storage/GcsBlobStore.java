package dev.skyfold.imageresizer.gcp.storage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.google.api.gax.paging.Page;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.StorageException;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobMetadata;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * Buckets in Google Cloud Storage, through the official client's JSON API. A read asks
 * for the object's resource first and refuses an object over the limit before reading any
 * of its bytes; it then downloads that generation only ({@code ifGenerationMatch}), so
 * that it never mixes the description of one write with the bytes of another: an object
 * replaced in between is described and read again, one deleted in between reads as
 * absent. A write is one multipart upload, which Cloud Storage applies whole or not at
 * all, with the content type and the user metadata as the object's custom metadata; the
 * client sends the content's CRC32C with it, which Cloud Storage checks. Custom metadata
 * is JSON, so names and values are kept exactly as written, without the encoded words
 * that the S3 and Azure stores need for headers. Missing objects and buckets read as
 * absent.
 * <p>
 * Object names with a {@code .} or {@code ..} path segment are refused, as every store
 * refuses them, and so are the names Cloud Storage refuses (over 1024 bytes, control
 * characters, {@code .well-known/acme-challenge/}). Bucket names are those every store
 * takes: Cloud Storage would also take underscores. {@link #listPage} answers one
 * {@code objects.list} request, which describes each object whole; its continuation is
 * Cloud Storage's page token.
 */
public final class GcsBlobStore implements BlobStore {

	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	private static final int MAX_KEY_BYTES = 1024;

	private static final String RESERVED_PREFIX = ".well-known/acme-challenge/";

	private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	private static final int NOT_FOUND = 404;

	private static final int PRECONDITION_FAILED = 412;

	/** How often a read starts again when the object is replaced while it reads. */
	private static final int READ_ATTEMPTS = 3;

	/** As many objects as Cloud Storage lists at a time. */
	private static final int LIST_PAGE_SIZE = 1000;

	private final Storage storage;

	private final int listPageSize;

	/**
	 * Creates a store.
	 * @param storage the client to call Cloud Storage with
	 */
	public GcsBlobStore(Storage storage) {
		this(storage, LIST_PAGE_SIZE);
	}

	GcsBlobStore(Storage storage, int listPageSize) {
		this.storage = storage;
		this.listPageSize = listPageSize;
	}

	@Override
	public Optional<BlobInfo> stat(String bucket, String key) {
		com.google.cloud.storage.Blob object = this.storage.get(id(bucket, key));
		return Optional.ofNullable(object).map(GcsBlobStore::info);
	}

	@Override
	public Optional<Blob> read(String bucket, String key, long maxBytes) {
		Blob.checkLimit(maxBytes);
		BlobId id = id(bucket, key);
		for (int attempt = 1;; attempt++) {
			com.google.cloud.storage.Blob object = this.storage.get(id);
			if (object == null) {
				return Optional.empty();
			}
			long size = (object.getSize() != null) ? object.getSize() : 0;
			if (size > maxBytes) {
				throw Blob.tooLarge(key, size, maxBytes);
			}
			byte[] content;
			try {
				content = this.storage.readAllBytes(id, BlobSourceOption.generationMatch(object.getGeneration()));
			}
			catch (StorageException ex) {
				if (ex.getCode() == NOT_FOUND) {
					return Optional.empty();
				}
				if (ex.getCode() == PRECONDITION_FAILED && attempt < READ_ATTEMPTS) {
					continue;
				}
				throw ex;
			}
			if (content.length != size) {
				throw new UncheckedIOException("Could not read gs://" + bucket + "/" + key, new IOException(
						"The content of " + key + " has " + content.length + " bytes, not the " + size + " described"));
			}
			return Optional.of(new Blob(info(object), content));
		}
	}

	@Override
	public BlobInfo write(String bucket, String key, byte[] content, String contentType, Map<String, String> metadata) {
		BlobId id = id(bucket, key);
		Map<String, String> custom = new LinkedHashMap<>();
		metadata.forEach((name, value) -> custom.put(BlobMetadata.checkName(name), value));
		com.google.cloud.storage.BlobInfo info = com.google.cloud.storage.BlobInfo.newBuilder(id)
			.setContentType(contentType)
			.setMetadata(custom.isEmpty() ? null : custom)
			.build();
		return info(this.storage.create(info, content));
	}

	@Override
	public void delete(String bucket, String key) {
		try {
			// False for an object, or a bucket, that is not there.
			this.storage.delete(id(bucket, key));
		}
		catch (StorageException ex) {
			if (ex.getCode() != NOT_FOUND) {
				throw ex;
			}
		}
	}

	@Override
	public BlobPage listPage(String bucket, String prefix, @Nullable String continuation, int limit) {
		checkBucket(bucket);
		List<BlobListOption> options = new ArrayList<>();
		options.add(BlobListOption.pageSize(Math.min(limit, this.listPageSize)));
		if (!prefix.isEmpty()) {
			options.add(BlobListOption.prefix(prefix));
		}
		if (continuation != null) {
			options.add(BlobListOption.pageToken(continuation));
		}
		Page<com.google.cloud.storage.Blob> page;
		try {
			page = this.storage.list(bucket, options.toArray(BlobListOption[]::new));
		}
		catch (StorageException ex) {
			if (ex.getCode() == NOT_FOUND) {
				return new BlobPage(List.of(), null);
			}
			throw ex;
		}
		List<BlobInfo> objects = new ArrayList<>();
		for (com.google.cloud.storage.Blob object : page.getValues()) {
			objects.add(info(object));
		}
		String next = page.getNextPageToken();
		return new BlobPage(objects, (next == null || next.isEmpty()) ? null : next);
	}

	private static BlobInfo info(com.google.cloud.storage.BlobInfo object) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (object.getMetadata() != null) {
			object.getMetadata().forEach((name, value) -> {
				if (value != null) {
					metadata.put(name, value);
				}
			});
		}
		return new BlobInfo(object.getName(), (object.getSize() != null) ? object.getSize() : 0,
				contentType(object.getContentType()), lastModified(object), metadata);
	}

	private static Instant lastModified(com.google.cloud.storage.BlobInfo object) {
		OffsetDateTime updated = object.getUpdateTimeOffsetDateTime();
		if (updated == null) {
			updated = object.getCreateTimeOffsetDateTime();
		}
		return (updated != null) ? updated.toInstant() : Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

	private static String contentType(@Nullable String contentType) {
		return (contentType != null && !contentType.isBlank()) ? contentType : DEFAULT_CONTENT_TYPE;
	}

	private static BlobId id(String bucket, String key) {
		checkBucket(bucket);
		checkKey(key);
		return BlobId.of(bucket, key);
	}

	private static void checkBucket(String bucket) {
		if (!BUCKET.matcher(bucket).matches()) {
			throw new RejectedInputException(Rejection.INVALID, "Invalid bucket name '" + bucket
					+ "': 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit");
		}
	}

	private static void checkKey(String key) {
		if (key.isEmpty()) {
			throw invalidKey(key, "is empty");
		}
		if (key.getBytes(StandardCharsets.UTF_8).length > MAX_KEY_BYTES) {
			throw invalidKey(key, "is longer than " + MAX_KEY_BYTES + " bytes");
		}
		for (int i = 0; i < key.length(); i++) {
			if (Character.isISOControl(key.charAt(i))) {
				throw invalidKey(key, "contains a control character");
			}
		}
		if (key.startsWith(RESERVED_PREFIX)) {
			throw invalidKey(key, "starts with '" + RESERVED_PREFIX + "', which Cloud Storage reserves");
		}
		for (String segment : key.split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				throw invalidKey(key, "has a '.' or '..' path segment, which a URL resolves to another object");
			}
		}
	}

	private static RejectedInputException invalidKey(String key, String why) {
		return new RejectedInputException(Rejection.INVALID, "Invalid object key '" + key + "': it " + why);
	}

}
