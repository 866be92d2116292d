package dev.skyfold.imageresizer.aws.s3;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobMetadata;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * Buckets in Amazon S3, or any server that speaks its API, through the AWS SDK v2. A read
 * is one {@code GetObject}: it streams the object into an array of its exact size, with
 * the description S3 answers with, and refuses an object over the limit before reading
 * its body; a write is one {@code PutObject}, which S3 applies whole or not at all, with
 * the content type and the user metadata as {@code x-amz-meta-*} headers, and that needs
 * {@code s3:PutObject} only. Missing objects and buckets read as absent. Keys with a
 * {@code .} or {@code ..} path segment are refused: an HTTP path resolves them to another
 * key, or another bucket.
 * <p>
 * {@link #listPage} asks for each listed object's content type and metadata with a
 * {@code HeadObject} request, since S3 lists keys without them; its continuation is S3's
 * continuation token.
 */
public final class S3BlobStore implements BlobStore {

	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	private static final int MAX_KEY_BYTES = 1024;

	private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	private static final int NOT_FOUND = 404;

	/** As many keys as S3 lists at a time. */
	private static final int LIST_PAGE_SIZE = 1000;

	private final S3Client s3;

	private final int listPageSize;

	/**
	 * Creates a store.
	 * @param s3 the client to call S3 with
	 */
	public S3BlobStore(S3Client s3) {
		this(s3, LIST_PAGE_SIZE);
	}

	S3BlobStore(S3Client s3, int listPageSize) {
		this.s3 = s3;
		this.listPageSize = listPageSize;
	}

	@Override
	public Optional<BlobInfo> stat(String bucket, String key) {
		check(bucket, key);
		try {
			HeadObjectResponse head = this.s3.headObject((request) -> request.bucket(bucket).key(key));
			return Optional.of(new BlobInfo(key, head.contentLength(), contentType(head.contentType()),
					head.lastModified(), metadata(head.metadata())));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == NOT_FOUND) {
				return Optional.empty();
			}
			throw ex;
		}
	}

	@Override
	public Optional<Blob> read(String bucket, String key, long maxBytes) {
		Blob.checkLimit(maxBytes);
		check(bucket, key);
		try (ResponseInputStream<GetObjectResponse> in = this.s3
			.getObject((request) -> request.bucket(bucket).key(key))) {
			GetObjectResponse response = in.response();
			Long length = response.contentLength();
			if (length != null && length > maxBytes) {
				// Closing would read the rest of the body to reuse the connection.
				in.abort();
				throw Blob.tooLarge(key, length, maxBytes);
			}
			byte[] content = (length != null) ? readExactly(in, key, length.intValue()) : readUpTo(in, key, maxBytes);
			return Optional.of(new Blob(new BlobInfo(key, content.length, contentType(response.contentType()),
					response.lastModified(), metadata(response.metadata())), content));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == NOT_FOUND) {
				return Optional.empty();
			}
			throw ex;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not read s3://" + bucket + "/" + key, ex);
		}
	}

	@Override
	public BlobInfo write(String bucket, String key, byte[] content, String contentType, Map<String, String> metadata) {
		check(bucket, key);
		Map<String, String> headers = metadataHeaders(metadata);
		PutObjectResponse response = this.s3.putObject(
				(request) -> request.bucket(bucket).key(key).contentType(contentType).metadata(headers),
				RequestBody.fromBytes(content));
		// Asking S3 for the object would take another request, and a read permission.
		return new BlobInfo(key, content.length, contentType, answeredAt(response), metadata);
	}

	@Override
	public void delete(String bucket, String key) {
		check(bucket, key);
		try {
			this.s3.deleteObject((request) -> request.bucket(bucket).key(key));
		}
		catch (S3Exception ex) {
			// A missing bucket holds no object either.
			if (ex.statusCode() != NOT_FOUND) {
				throw ex;
			}
		}
	}

	@Override
	public BlobPage listPage(String bucket, String prefix, @Nullable String continuation, int limit) {
		checkBucket(bucket);
		ListObjectsV2Response listed;
		try {
			listed = this.s3.listObjectsV2((request) -> request.bucket(bucket)
				.prefix(prefix)
				.maxKeys(Math.min(limit, this.listPageSize))
				.continuationToken(continuation));
		}
		catch (S3Exception ex) {
			if (ex.statusCode() == NOT_FOUND) {
				return new BlobPage(List.of(), null);
			}
			throw ex;
		}
		List<BlobInfo> objects = new ArrayList<>();
		for (S3Object object : listed.contents()) {
			// Deleted since it was listed: not there any more.
			stat(bucket, object.key()).ifPresent(objects::add);
		}
		return new BlobPage(objects, Boolean.TRUE.equals(listed.isTruncated()) ? listed.nextContinuationToken() : null);
	}

	private static byte[] readExactly(InputStream in, String key, int length) throws IOException {
		byte[] content = in.readNBytes(length);
		if (content.length < length) {
			throw new IOException(
					"The body of " + key + " ended after " + content.length + " of its " + length + " bytes");
		}
		return content;
	}

	private static byte[] readUpTo(InputStream in, String key, long maxBytes) throws IOException {
		byte[] content = in.readNBytes((int) Math.min(maxBytes + 1, Blob.MAX_BYTES));
		if (content.length > maxBytes) {
			throw Blob.tooLarge(key, "more than " + maxBytes, maxBytes);
		}
		return content;
	}

	/**
	 * When S3 answered, to the second: about when it stored the object.
	 */
	private static Instant answeredAt(PutObjectResponse response) {
		try {
			return response.sdkHttpResponse()
				.firstMatchingHeader("Date")
				.map((date) -> Instant.from(DateTimeFormatter.RFC_1123_DATE_TIME.parse(date)))
				.orElseGet(() -> Instant.now().truncatedTo(ChronoUnit.SECONDS));
		}
		catch (DateTimeException ex) {
			return Instant.now().truncatedTo(ChronoUnit.SECONDS);
		}
	}

	private static String contentType(String contentType) {
		return (contentType != null && !contentType.isBlank()) ? contentType : DEFAULT_CONTENT_TYPE;
	}

	/**
	 * User metadata as written, from what S3 answers: the names as they are (S3 keeps
	 * them in lower case, as written), encoded words decoded.
	 */
	private static Map<String, String> metadata(Map<String, String> headers) {
		Map<String, String> metadata = new LinkedHashMap<>();
		headers.forEach((name, value) -> metadata.put(name, BlobMetadata.value(value)));
		return metadata;
	}

	/**
	 * User metadata as S3 keeps it: names as they are, values that an HTTP header cannot
	 * carry as they are (anything beyond printable ASCII) encoded as RFC 2047 words,
	 * which S3 decodes when it stores them.
	 */
	static Map<String, String> metadataHeaders(Map<String, String> metadata) {
		Map<String, String> headers = new LinkedHashMap<>();
		metadata.forEach((name, value) -> headers.put(BlobMetadata.checkName(name), BlobMetadata.headerValue(value)));
		return headers;
	}

	private static void check(String bucket, String key) {
		checkBucket(bucket);
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
		for (String segment : key.split("/", -1)) {
			if (segment.equals(".") || segment.equals("..")) {
				throw invalidKey(key, "has a '.' or '..' path segment, which an HTTP path resolves to another key");
			}
		}
	}

	private static void checkBucket(String bucket) {
		if (!BUCKET.matcher(bucket).matches()) {
			throw new RejectedInputException(Rejection.INVALID, "Invalid bucket name '" + bucket
					+ "': 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit");
		}
	}

	private static RejectedInputException invalidKey(String key, String why) {
		return new RejectedInputException(Rejection.INVALID, "Invalid object key '" + key + "': it " + why);
	}

}
