package dev.skyfold.local.bucket;

import java.io.IOException;
import java.io.InputStream;
import java.net.URLConnection;
import java.util.List;

import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.local.web.Problems;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.http.CacheControl;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The local bucket over HTTP. {@code PUT /objects/{key}} stores an object and then, as S3
 * would, hands an object-created event to {@code resizeImage} through the function
 * catalog, so the function is invoked, measured and logged exactly as on any other host.
 * The notification runs before the response, which carries its outcome.
 */
@RestController
class ObjectController {

	private static final Logger log = LoggerFactory.getLogger(ObjectController.class);

	private final BlobStore store;

	private final FunctionCatalog catalog;

	private final LocalBucketProperties bucket;

	ObjectController(BlobStore store, FunctionCatalog catalog, LocalBucketProperties bucket) {
		this.store = store;
		this.catalog = catalog;
		this.bucket = bucket;
	}

	@PutMapping("/objects/{*key}")
	ResponseEntity<Upload> put(@PathVariable String key,
			@RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) @Nullable String contentType,
			InputStream body) throws IOException {
		String objectKey = stripSlash(key);
		byte[] content = body.readNBytes(Math.toIntExact(this.bucket.maxObjectSize().toBytes()) + 1);
		if (content.length > this.bucket.maxObjectSize().toBytes()) {
			throw new RejectedInputException(Rejection.TOO_LARGE,
					"Object too large: the local bucket takes at most " + this.bucket.maxObjectSize());
		}
		String type = isGiven(contentType) ? contentType : guessContentType(objectKey);
		BlobInfo stored = this.store.write(this.bucket.name(), objectKey, content, type);
		Notification notification = notify(new ObjectCreated(this.bucket.name(), objectKey, stored.size(), type));
		return ResponseEntity.status(HttpStatus.CREATED).body(new Upload(this.bucket.name(), stored, notification));
	}

	@GetMapping("/objects/{*key}")
	ResponseEntity<byte[]> get(@PathVariable String key) {
		String objectKey = stripSlash(key);
		BlobInfo info = this.store.stat(this.bucket.name(), objectKey).orElse(null);
		byte[] content = (info != null) ? this.store.read(this.bucket.name(), objectKey).orElse(null) : null;
		if (info == null || content == null) {
			return Problems.response(HttpStatus.NOT_FOUND, "No such object",
					"No object has the key '" + objectKey + "'");
		}
		return ResponseEntity.ok()
			.contentType(MediaType.parseMediaType(info.contentType()))
			.lastModified(info.lastModified())
			.cacheControl(CacheControl.noCache())
			.body(content);
	}

	@GetMapping("/objects")
	Listing list(@RequestParam(defaultValue = "") String prefix) {
		return new Listing(this.bucket.name(), prefix, this.store.list(this.bucket.name(), prefix));
	}

	private Notification notify(ObjectCreated event) {
		FunctionInvocationWrapper resizeImage = this.catalog.lookup(ResizeImageFunction.NAME);
		try {
			return new Notification(ResizeImageFunction.NAME, (ResizeResult) resizeImage.apply(event), null);
		}
		catch (RuntimeException ex) {
			RejectedInputException rejected = RejectedInputException.findIn(ex);
			if (rejected == null) {
				log.error("resizeImage failed on {}", event.key(), ex);
			}
			return new Notification(ResizeImageFunction.NAME, null, Problems.of(ex));
		}
	}

	private static String stripSlash(String key) {
		return key.startsWith("/") ? key.substring(1) : key;
	}

	/** curl labels every --data-binary body a form unless told otherwise. */
	private static boolean isGiven(@Nullable String contentType) {
		return contentType != null && !contentType.isBlank()
				&& !contentType.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
	}

	private static String guessContentType(String key) {
		String guessed = URLConnection.guessContentTypeFromName(key);
		if (guessed == null && key.toLowerCase(java.util.Locale.ROOT).endsWith(".webp")) {
			guessed = "image/webp";
		}
		return (guessed != null) ? guessed : MediaType.APPLICATION_OCTET_STREAM_VALUE;
	}

	/**
	 * The answer to an upload: what was stored, and what the notified function did.
	 *
	 * @param bucket the bucket
	 * @param object the stored object
	 * @param notification the function's outcome
	 */
	record Upload(String bucket, BlobInfo object, Notification notification) {
	}

	/**
	 * What a notified function did with an object-created event: a result, or the problem
	 * it reported.
	 *
	 * @param function the function's name
	 * @param result its result when it succeeded
	 * @param problem its error when it failed
	 */
	record Notification(String function, @Nullable ResizeResult result, @Nullable ProblemDetail problem) {
	}

	/**
	 * A listing of the bucket.
	 *
	 * @param bucket the bucket
	 * @param prefix the prefix listed
	 * @param objects the objects under it, in key order
	 */
	record Listing(String bucket, String prefix, List<BlobInfo> objects) {
	}

}
