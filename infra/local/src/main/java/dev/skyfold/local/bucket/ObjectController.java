package dev.skyfold.local.bucket;

import java.io.IOException;
import java.net.URLConnection;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.web.CallerSlots;
import dev.skyfold.local.web.Problems;
import dev.skyfold.local.web.RequestBodies;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.http.CacheControl;
import org.springframework.http.ContentDisposition;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.util.UriUtils;

/**
 * The local bucket over HTTP. {@code PUT /objects/{key}} stores an object and then, as S3
 * would, hands an object-created event to {@code resizeImage} through the function
 * catalog, so the function is invoked, measured and logged exactly as on any other host.
 * The notification runs before the response, which carries its outcome. {@code DELETE
 * /objects/{key}} removes the object and then, as a storage event would, its thumbnails.
 */
@RestController
class ObjectController {

	private static final Logger log = LoggerFactory.getLogger(ObjectController.class);

	private static final String OBJECTS = "/objects/";

	/** Types a browser may show inline: raster images, which run nothing. */
	private static final Set<String> INLINE_TYPES = Set.of("image/png", "image/jpeg", "image/gif", "image/webp",
			"image/bmp", "image/avif");

	private final BlobStore store;

	private final ImageResizer resizer;

	private final FunctionCatalog catalog;

	private final LocalProperties properties;

	/** Uploads under way per caller, so that slow senders cannot hold every thread. */
	private final CallerSlots uploading;

	ObjectController(BlobStore store, ImageResizer resizer, FunctionCatalog catalog, LocalProperties properties) {
		this.store = store;
		this.resizer = resizer;
		this.catalog = catalog;
		this.properties = properties;
		this.uploading = new CallerSlots(properties.maxUploadsPerCaller());
	}

	@PutMapping("/objects/{*key}")
	ResponseEntity<Upload> put(HttpServletRequest request, Principal caller,
			@RequestHeader(name = HttpHeaders.CONTENT_TYPE, required = false) @Nullable String contentType)
			throws IOException {
		if (!this.uploading.tryTake(caller.getName())) {
			return Problems.response(HttpStatus.TOO_MANY_REQUESTS, "Too many uploads",
					"'" + caller.getName() + "' has " + this.uploading.cap()
							+ " uploads under way already (skyfold.local.max-uploads-per-caller); wait for one to end");
		}
		try {
			return store(request, contentType);
		}
		finally {
			this.uploading.release(caller.getName());
		}
	}

	private ResponseEntity<Upload> store(HttpServletRequest request, @Nullable String contentType) throws IOException {
		String key = objectKey(request);
		String type = isGiven(contentType) ? checked(contentType) : guessContentType(key);
		byte[] content = RequestBodies.read(request, this.properties);
		BlobInfo stored = this.store.write(this.properties.bucket(), key, content, type);
		Notification notification = notify(new ObjectCreated(this.properties.bucket(), key, stored.size(), type));
		return ResponseEntity.status(HttpStatus.CREATED)
			.body(new Upload(this.properties.bucket(), stored, notification));
	}

	@GetMapping("/objects/{*key}")
	ResponseEntity<byte[]> get(HttpServletRequest request) {
		String key = objectKey(request);
		Blob blob = this.store.read(this.properties.bucket(), key, Blob.MAX_BYTES).orElse(null);
		if (blob == null) {
			return Problems.response(HttpStatus.NOT_FOUND, "No such object", "No object has the key '" + key + "'");
		}
		MediaType type = parsedOr(blob.info().contentType(), MediaType.APPLICATION_OCTET_STREAM);
		// An object is data, never one of the app's pages: only plain images are shown
		// inline, and nothing in it may run (an uploaded HTML or SVG page would otherwise
		// share the app's origin).
		ResponseEntity.BodyBuilder answer = ResponseEntity.ok()
			.contentType(type)
			.lastModified(blob.info().lastModified())
			.cacheControl(CacheControl.noCache())
			.header("X-Content-Type-Options", "nosniff")
			.header("Content-Security-Policy", "default-src 'none'; sandbox");
		if (!INLINE_TYPES.contains(type.getType() + "/" + type.getSubtype())) {
			answer.header(HttpHeaders.CONTENT_DISPOSITION,
					ContentDisposition.attachment()
						.filename(key.substring(key.lastIndexOf('/') + 1), StandardCharsets.UTF_8)
						.build()
						.toString());
		}
		return answer.body(blob.content());
	}

	@DeleteMapping("/objects/{*key}")
	ResponseEntity<Void> delete(HttpServletRequest request) {
		String key = objectKey(request);
		if (this.store.stat(this.properties.bucket(), key).isEmpty()) {
			return Problems.response(HttpStatus.NOT_FOUND, "No such object", "No object has the key '" + key + "'");
		}
		this.store.delete(this.properties.bucket(), key);
		try {
			// As S3 and Event Grid tell the cloud functions: the thumbnails go too.
			this.resizer.resizeEach(List.of(new ObjectEvent.Removed(this.properties.bucket(), key)));
		}
		catch (ResizeFailedException ex) {
			// Logged; the original is gone all the same, and a reconcile removes orphans.
		}
		return ResponseEntity.noContent().build();
	}

	@GetMapping("/objects")
	Listing list(@RequestParam(defaultValue = "") String prefix) {
		return new Listing(this.properties.bucket(), prefix, this.store.list(this.properties.bucket(), prefix));
	}

	private Notification notify(ObjectCreated event) {
		FunctionInvocationWrapper resizeImage = this.catalog.lookup(ResizeImageFunction.NAME);
		try {
			// As a message, as platforms deliver events: only then is the call observed.
			Object result = resizeImage.apply(MessageBuilder.withPayload(event).build());
			return new Notification(ResizeImageFunction.NAME, (ResizeResult) result, null);
		}
		catch (RuntimeException ex) {
			RejectedInputException rejected = RejectedInputException.findIn(ex);
			if (rejected == null) {
				log.error("resizeImage failed on {}", event.key(), ex);
			}
			return new Notification(ResizeImageFunction.NAME, null, Problems.of(ex));
		}
	}

	/**
	 * The key as sent, percent-decoded once: a {@code +} stays a plus and a {@code ;}
	 * stays in the key (Spring MVC's path variables would drop what follows it).
	 */
	private static String objectKey(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return UriUtils.decode(path.substring(OBJECTS.length()), StandardCharsets.UTF_8);
	}

	private static String checked(String contentType) {
		try {
			return MediaType.parseMediaType(contentType).toString();
		}
		catch (InvalidMediaTypeException ex) {
			throw new RejectedInputException(Rejection.INVALID, "Invalid Content-Type '" + contentType + "'");
		}
	}

	private static MediaType parsedOr(String contentType, MediaType fallback) {
		try {
			return MediaType.parseMediaType(contentType);
		}
		catch (InvalidMediaTypeException ex) {
			return fallback;
		}
	}

	/** curl labels every --data-binary body a form unless told otherwise. */
	private static boolean isGiven(@Nullable String contentType) {
		return contentType != null && !contentType.isBlank()
				&& !contentType.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
	}

	private static String guessContentType(String key) {
		String guessed = URLConnection.guessContentTypeFromName(key);
		if (guessed == null && key.toLowerCase(Locale.ROOT).endsWith(".webp")) {
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
