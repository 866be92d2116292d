package dev.skyfold.imageresizer.azure.blob;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import com.azure.core.http.rest.PagedResponse;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobItemProperties;
import com.azure.storage.blob.models.BlobListDetails;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.models.ListBlobsOptions;
import com.azure.storage.blob.options.BlobInputStreamOptions;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.azure.storage.blob.specialized.BlobInputStream;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobMetadata;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * Containers in Azure Blob Storage, or Azurite, through the Azure SDK: the store's bucket
 * is a container, its key a blob name. A read checks the blob's size before it reads any
 * byte and refuses blobs over the limit; a write is one {@code Put Blob} request, which
 * Azure applies whole or not at all, with the content type and the user metadata. Azure
 * allows only C# identifiers as metadata names, so a name's dashes become underscores
 * ({@code source-key} is stored as {@code x-ms-meta-source_key}); values that an HTTP
 * header cannot carry as they are become RFC 2047 encoded words, as the S3 store sends
 * them. Missing blobs and containers read as absent. Blob names with a {@code .} or
 * {@code ..} path segment are refused: a URL resolves them to another blob.
 */
public final class AzureBlobStore implements BlobStore {

	private static final Pattern CONTAINER = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]");

	private static final int MAX_KEY_LENGTH = 1024;

	private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	/**
	 * Blobs up to this size are written with one {@code Put Blob} request: whole or not
	 * at all.
	 */
	private static final long SINGLE_UPLOAD_BYTES = 256L * 1024 * 1024;

	private static final int NOT_FOUND = 404;

	/** As many blobs as Azure lists at a time. */
	private static final int LIST_PAGE_SIZE = 5000;

	private final BlobServiceClient service;

	private final int listPageSize;

	/**
	 * Creates a store.
	 * @param service the client of the storage account's Blob service
	 */
	public AzureBlobStore(BlobServiceClient service) {
		this(service, LIST_PAGE_SIZE);
	}

	AzureBlobStore(BlobServiceClient service, int listPageSize) {
		this.service = service;
		this.listPageSize = listPageSize;
	}

	@Override
	public Optional<BlobInfo> stat(String container, String key) {
		BlobClient blob = blob(container, key);
		try {
			return Optional.of(info(key, blob.getProperties()));
		}
		catch (BlobStorageException ex) {
			if (ex.getStatusCode() == NOT_FOUND) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	@Override
	public Optional<Blob> read(String container, String key, long maxBytes) {
		Blob.checkLimit(maxBytes);
		BlobClient blob = blob(container, key);
		// Opening asks for the blob's properties, so that a blob over the limit is
		// refused
		// unread; the read that follows is one request for the whole blob, which fails
		// rather than mix two versions when the blob is replaced meanwhile.
		BlobInputStreamOptions options = new BlobInputStreamOptions().setBlockSize((int) Math.max(1, maxBytes));
		try (BlobInputStream in = blob.openInputStream(options)) {
			BlobProperties properties = in.getProperties();
			long length = properties.getBlobSize();
			if (length > maxBytes) {
				throw Blob.tooLarge(key, length, maxBytes);
			}
			byte[] content = in.readNBytes((int) length);
			if (content.length < length) {
				throw new IOException(
						"The content of " + key + " ended after " + content.length + " of its " + length + " bytes");
			}
			return Optional.of(new Blob(info(key, properties), content));
		}
		catch (BlobStorageException ex) {
			if (ex.getStatusCode() == NOT_FOUND) {
				return Optional.empty();
			}
			throw ex;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read " + container + "/" + key, ex);
		}
	}

	@Override
	public BlobInfo write(String container, String key, byte[] content, String contentType,
			Map<String, String> metadata) {
		BlobClient blob = blob(container, key);
		if (content.length > SINGLE_UPLOAD_BYTES) {
			throw new RejectedInputException(Rejection.TOO_LARGE, "Object too large to write whole: " + key + " has "
					+ content.length + " bytes, over " + SINGLE_UPLOAD_BYTES + " bytes");
		}
		BlobParallelUploadOptions options = new BlobParallelUploadOptions(BinaryData.fromBytes(content))
			.setHeaders(new BlobHttpHeaders().setContentType(contentType))
			.setMetadata(metadata(metadata));
		BlockBlobItem written = blob.uploadWithResponse(options, null, Context.NONE).getValue();
		return new BlobInfo(key, content.length, contentType, instant(written.getLastModified()), metadata);
	}

	@Override
	public void delete(String container, String key) {
		try {
			blob(container, key).deleteIfExists();
		}
		catch (BlobStorageException ex) {
			// A missing container holds no blob either.
			if (ex.getStatusCode() != NOT_FOUND) {
				throw ex;
			}
		}
	}

	@Override
	public BlobPage listPage(String container, String prefix, @Nullable String continuation, int limit) {
		checkContainer(container);
		int size = Math.min(limit, this.listPageSize);
		ListBlobsOptions options = new ListBlobsOptions().setPrefix(prefix.isEmpty() ? null : prefix)
			.setMaxResultsPerPage(size)
			.setDetails(new BlobListDetails().setRetrieveMetadata(true));
		PagedResponse<BlobItem> page;
		try {
			page = this.service.getBlobContainerClient(container)
				.listBlobs(options, null)
				.iterableByPage(continuation, size)
				.iterator()
				.next();
		}
		catch (BlobStorageException ex) {
			if (ex.getStatusCode() == NOT_FOUND) {
				return new BlobPage(List.of(), null);
			}
			throw ex;
		}
		List<BlobInfo> blobs = new ArrayList<>();
		for (BlobItem item : page.getValue()) {
			BlobItemProperties properties = item.getProperties();
			blobs.add(new BlobInfo(item.getName(), properties.getContentLength(),
					contentType(properties.getContentType()), instant(properties.getLastModified()),
					fromStored(item.getMetadata())));
		}
		String next = page.getContinuationToken();
		return new BlobPage(blobs, (next == null || next.isEmpty()) ? null : next);
	}

	private BlobClient blob(String container, String key) {
		checkContainer(container);
		checkKey(key);
		return this.service.getBlobContainerClient(container).getBlobClient(key);
	}

	private static BlobInfo info(String key, BlobProperties properties) {
		return new BlobInfo(key, properties.getBlobSize(), contentType(properties.getContentType()),
				instant(properties.getLastModified()), fromStored(properties.getMetadata()));
	}

	/**
	 * User metadata as written, from what Azure keeps: dashes for the underscores of the
	 * names, encoded words decoded.
	 */
	private static Map<String, String> fromStored(@Nullable Map<String, String> stored) {
		Map<String, String> metadata = new LinkedHashMap<>();
		if (stored != null) {
			stored.forEach((name, value) -> metadata.put(name.replace('_', '-'), BlobMetadata.value(value)));
		}
		return metadata;
	}

	/**
	 * User metadata as Azure keeps it: names with underscores for dashes, values that an
	 * HTTP header cannot carry as they are (anything beyond printable ASCII, or spaces at
	 * either end) as RFC 2047 encoded words.
	 */
	static Map<String, String> metadata(Map<String, String> metadata) {
		Map<String, String> stored = new LinkedHashMap<>();
		metadata.forEach((name, value) -> stored.put(BlobMetadata.checkName(name).replace('-', '_'),
				BlobMetadata.headerValue(value)));
		return stored;
	}

	private static String contentType(@Nullable String contentType) {
		return (contentType != null && !contentType.isBlank()) ? contentType : DEFAULT_CONTENT_TYPE;
	}

	private static Instant instant(@Nullable OffsetDateTime time) {
		return (time != null) ? time.toInstant() : Instant.now().truncatedTo(ChronoUnit.SECONDS);
	}

	private static void checkContainer(String container) {
		if (!CONTAINER.matcher(container).matches()) {
			throw new RejectedInputException(Rejection.INVALID, "Invalid container name '" + container
					+ "': 3 to 63 lower-case letters, digits and single dashes, starting and ending with a letter or digit");
		}
	}

	private static void checkKey(String key) {
		if (key.isEmpty()) {
			throw invalidKey(key, "is empty");
		}
		if (key.length() > MAX_KEY_LENGTH) {
			throw invalidKey(key, "is longer than " + MAX_KEY_LENGTH + " characters");
		}
		for (int i = 0; i < key.length(); i++) {
			if (Character.isISOControl(key.charAt(i))) {
				throw invalidKey(key, "contains a control character");
			}
		}
		if (key.endsWith("/") || key.contains("\\")) {
			throw invalidKey(key, "ends with '/' or contains '\\', which Azure does not keep as they are");
		}
		for (String segment : key.split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				throw invalidKey(key, "has a '.' or '..' path segment, which a URL resolves to another blob");
			}
		}
	}

	private static RejectedInputException invalidKey(String key, String why) {
		return new RejectedInputException(Rejection.INVALID, "Invalid object key '" + key + "': it " + why);
	}

}
