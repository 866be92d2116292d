package dev.skyfold.testsupport.loopback.gcs;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;
import java.util.zip.GZIPInputStream;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/**
 * A local Cloud Storage that answers the object calls of the Cloud Storage JSON API v1 as
 * the official Java client ({@code com.google.cloud:google-cloud-storage}) makes them,
 * over plain HTTP on a free port of {@code 127.0.0.1}, keeping the objects in memory. Its
 * buckets are given at the start; it creates none.
 * <ul>
 * <li>uploads: {@code POST /upload/storage/v1/b/{bucket}/o} with
 * {@code uploadType=multipart} ({@code Storage.create(BlobInfo, byte[])}),
 * {@code uploadType=media}, and {@code uploadType=resumable} followed by {@code PUT}s of
 * the session URI with {@code Content-Range} ({@code Storage.writer},
 * {@code createFrom}), answering {@code 308} with {@code Range} until the last byte;
 * checksums sent as {@code md5Hash}/{@code crc32c} or {@code X-Goog-Hash} are
 * verified</li>
 * <li>{@code GET /storage/v1/b/{bucket}/o/{object}}: the object's resource, or with
 * {@code alt=media} (also under {@code /download/storage/v1/...}) its bytes, whole or a
 * {@code Range}, with {@code X-Goog-Hash}, {@code X-Goog-Generation} and the other
 * headers the client reads</li>
 * <li>{@code GET /storage/v1/b/{bucket}/o}: a listing in name order, with {@code prefix},
 * {@code delimiter}, {@code startOffset}, {@code endOffset}, {@code maxResults} and
 * {@code pageToken}</li>
 * <li>{@code PATCH} (or {@code POST} with {@code X-HTTP-Method-Override: PATCH}) and
 * {@code DELETE} of an object; {@code GET /storage/v1/b/{bucket}}</li>
 * </ul>
 * Every call takes the preconditions {@code ifGenerationMatch} (0: only if there is no
 * such object), {@code ifGenerationNotMatch}, {@code ifMetagenerationMatch} and
 * {@code ifMetagenerationNotMatch}, and {@code generation}. Errors come as the API gives
 * them: {@code {"error":{"code":404,"message":...,"errors":[...]}}} for a missing bucket
 * or object, 412 for a precondition that does not hold, 400 for a bad request. It checks
 * no credentials.
 * <p>
 * Point the client at {@link #host()}: <pre class="code">
 * &#64;RegisterExtension
 * static final CloudStorageServer gcs = CloudStorageServer.start("bucket-a", "bucket-b");
 *
 * Storage storage = StorageOptions.http()
 * 	.setHost(gcs.host())
 * 	.setProjectId("skyfold-test")
 * 	.setCredentials(NoCredentials.getInstance())
 * 	.build()
 * 	.getService();
 * </pre> As an extension on a static field it stops after the test class; otherwise close
 * it (try-with-resources). {@link #objects(String)} shows what a bucket holds,
 * {@link #requests()} what the client asked.
 */
public final class CloudStorageServer implements AfterAllCallback, AutoCloseable {

	private static final String JSON = "application/json; charset=UTF-8";

	private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	private static final int MAX_NAME_BYTES = 1024;

	private static final int MAX_RESULTS = 1000;

	private static final Pattern BUCKET_PATH = Pattern.compile("/storage/v1/b/([^/]+)");

	private static final Pattern OBJECTS_PATH = Pattern
		.compile("/(storage|upload/storage|download/storage)/v1/b/([^/]+)/o(?:/(.+))?");

	private static final Pattern CONTENT_RANGE = Pattern.compile("bytes (?:(\\d+)-(\\d+)|\\*)/(\\d+|\\*)");

	private static final Pattern RANGE = Pattern.compile("bytes=(\\d*)-(\\d*)");

	private static final DateTimeFormatter RFC_3339 = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'")
		.withZone(ZoneOffset.UTC);

	/** Cloud Storage lists names in the order of their UTF-8 bytes: by code point. */
	private static final Comparator<String> NAME_ORDER = (a, b) -> Arrays.compare(a.codePoints().toArray(),
			b.codePoints().toArray());

	private static final JsonMapper json = JsonMapper.builder().build();

	static {
		// The JDK's server sends an answer's headers and body apart: with Nagle's
		// algorithm on, the body waits 40 ms for the client's delayed ACK. The JDK
		// reads the setting once, when the JVM's first HttpServer starts.
		if (System.getProperty("sun.net.httpserver.nodelay") == null) {
			System.setProperty("sun.net.httpserver.nodelay", "true");
		}
	}

	private final HttpServer server;

	private final ExecutorService executor = Executors.newCachedThreadPool((task) -> {
		Thread thread = new Thread(task, "cloud-storage-server");
		thread.setDaemon(true);
		return thread;
	});

	private final Map<String, NavigableMap<String, StoredObject>> buckets = new LinkedHashMap<>();

	private final Map<String, Upload> uploads = new ConcurrentHashMap<>();

	private final List<RecordedRequest> requests = new CopyOnWriteArrayList<>();

	private final Instant started = Instant.now();

	private final AtomicBoolean closed = new AtomicBoolean();

	/** Guards every change of the objects, with the preconditions it was made on. */
	private final Object lock = new Object();

	private long lastGeneration;

	private CloudStorageServer(List<String> bucketNames) throws IOException {
		for (String bucket : bucketNames) {
			this.buckets.put(bucket, new ConcurrentSkipListMap<>(NAME_ORDER));
		}
		this.server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
		this.server.createContext("/", this::handle);
		this.server.setExecutor(this.executor);
		this.server.start();
	}

	/**
	 * Starts a server holding empty buckets.
	 * @param buckets the names of the buckets
	 * @return the running server; close it when done
	 * @throws UncheckedIOException when it cannot listen
	 */
	public static CloudStorageServer start(String... buckets) {
		try {
			return new CloudStorageServer(List.of(buckets));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start the local Cloud Storage server", ex);
		}
	}

	/**
	 * Where the client sends its requests, for {@code StorageOptions.Builder#setHost}.
	 * @return {@code http://127.0.0.1:<port>}
	 */
	public String host() {
		return "http://127.0.0.1:" + port();
	}

	/**
	 * The port the server listens on.
	 * @return the port on {@code 127.0.0.1}
	 */
	public int port() {
		return this.server.getAddress().getPort();
	}

	/**
	 * The objects a bucket holds now.
	 * @param bucket the bucket
	 * @return its objects, in the order Cloud Storage lists them
	 * @throws IllegalArgumentException when the server has no such bucket
	 */
	public List<StoredObject> objects(String bucket) {
		return List.copyOf(bucket(bucket).values());
	}

	/**
	 * One object a bucket holds now.
	 * @param bucket the bucket
	 * @param name the object name
	 * @return the object, or empty when the bucket holds none of that name
	 * @throws IllegalArgumentException when the server has no such bucket
	 */
	public Optional<StoredObject> object(String bucket, String name) {
		return Optional.ofNullable(bucket(bucket).get(name));
	}

	/**
	 * Deletes every object of every bucket, forgets the upload sessions and the recorded
	 * requests: the server is as it started.
	 */
	public void clear() {
		synchronized (this.lock) {
			this.buckets.values().forEach(Map::clear);
			this.uploads.clear();
			this.requests.clear();
		}
	}

	/**
	 * The requests received so far, in order, with what was answered.
	 * @return the requests
	 */
	public List<RecordedRequest> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	public void afterAll(ExtensionContext context) {
		close();
	}

	/**
	 * Stops the server. Harmless when it is stopped.
	 */
	@Override
	public void close() {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.server.stop(0);
		this.executor.shutdownNow();
		try {
			this.executor.awaitTermination(5, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private NavigableMap<String, StoredObject> bucket(String bucket) {
		NavigableMap<String, StoredObject> objects = this.buckets.get(bucket);
		if (objects == null) {
			throw new IllegalArgumentException(
					"The server has no bucket '" + bucket + "', only " + this.buckets.keySet());
		}
		return objects;
	}

	private void handle(HttpExchange exchange) throws IOException {
		try (exchange) {
			byte[] body = exchange.getRequestBody().readAllBytes();
			String method = exchange.getRequestMethod();
			String override = exchange.getRequestHeaders().getFirst("X-HTTP-Method-Override");
			if ("POST".equals(method) && override != null) {
				method = override.toUpperCase(Locale.ROOT);
			}
			String path = exchange.getRequestURI().getRawPath();
			String query = exchange.getRequestURI().getRawQuery();
			Answer answer;
			try {
				answer = route(new Request(method, path, query(query), exchange,
						decode(body, exchange.getRequestHeaders().getFirst("Content-Encoding"))));
			}
			catch (ApiError error) {
				answer = error.answer();
			}
			catch (RuntimeException ex) {
				answer = ApiError.of(500, "backendError", "CloudStorageServer failed: " + ex).answer();
			}
			this.requests.add(new RecordedRequest(method, path, query, answer.status()));
			answer.send(exchange);
		}
	}

	/**
	 * The request body: the client compresses what it uploads, as Cloud Storage allows.
	 */
	private static byte[] decode(byte[] body, @Nullable String contentEncoding) {
		if (contentEncoding == null || !contentEncoding.trim().equalsIgnoreCase("gzip")) {
			return body;
		}
		try (GZIPInputStream in = new GZIPInputStream(new ByteArrayInputStream(body))) {
			return in.readAllBytes();
		}
		catch (IOException ex) {
			throw ApiError.of(400, "invalid", "The gzip request body cannot be read: " + ex.getMessage());
		}
	}

	private Answer route(Request request) {
		Matcher objects = OBJECTS_PATH.matcher(request.path());
		if (objects.matches()) {
			String api = objects.group(1);
			String bucket = decodePath(objects.group(2));
			String name = (objects.group(3) != null) ? decodePath(objects.group(3)) : null;
			if (api.equals("upload/storage")) {
				if (name == null) {
					return upload(request, bucket);
				}
			}
			else if (api.equals("download/storage")) {
				if (name != null && request.method().equals("GET")) {
					return media(request, bucket, name);
				}
			}
			else if (name == null) {
				if (request.method().equals("GET")) {
					return list(request, bucket);
				}
			}
			else if (request.method().equals("GET")) {
				return "media".equals(request.query().get("alt")) ? media(request, bucket, name)
						: resource(request, bucket, name);
			}
			else if (request.method().equals("DELETE")) {
				return delete(request, bucket, name);
			}
			else if (request.method().equals("PATCH")) {
				return patch(request, bucket, name);
			}
		}
		Matcher bucket = BUCKET_PATH.matcher(request.path());
		if (bucket.matches() && request.method().equals("GET")) {
			return bucketResource(decodePath(bucket.group(1)));
		}
		throw ApiError.of(501, "notImplemented",
				"CloudStorageServer does not answer " + request.method() + " " + request.path());
	}

	private Answer bucketResource(String bucket) {
		existingBucket(bucket);
		ObjectNode resource = json.createObjectNode();
		resource.put("kind", "storage#bucket");
		resource.put("selfLink", host() + "/storage/v1/b/" + encodePath(bucket));
		resource.put("id", bucket);
		resource.put("name", bucket);
		resource.put("projectNumber", "0");
		resource.put("metageneration", "1");
		resource.put("location", "US");
		resource.put("locationType", "multi-region");
		resource.put("storageClass", "STANDARD");
		resource.put("etag", "CAE=");
		resource.put("timeCreated", RFC_3339.format(this.started));
		resource.put("updated", RFC_3339.format(this.started));
		return Answer.json(200, resource);
	}

	private Answer resource(Request request, String bucket, String name) {
		StoredObject object = existingObject(bucket, name, request.query());
		checkReadConditions(object, request.query());
		return Answer.json(200, resource(object));
	}

	private Answer media(Request request, String bucket, String name) {
		StoredObject object = existingObject(bucket, name, request.query());
		checkReadConditions(object, request.query());
		byte[] content = object.bytes();
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("X-Goog-Generation", Long.toString(object.generation()));
		headers.put("X-Goog-Metageneration", Long.toString(object.metageneration()));
		headers.put("X-Goog-Stored-Content-Length", Long.toString(content.length));
		headers.put("X-Goog-Stored-Content-Encoding", "identity");
		headers.put("X-Goog-Storage-Class", "STANDARD");
		headers.put("X-Goog-Hash", "crc32c=" + object.crc32c() + ",md5=" + object.md5Hash());
		headers.put("ETag", etag(object));
		headers.put("Last-Modified",
				DateTimeFormatter.RFC_1123_DATE_TIME.format(object.updated().atOffset(ZoneOffset.UTC)));
		headers.put("Accept-Ranges", "bytes");
		String range = request.header("Range");
		if (range != null && content.length > 0) {
			Matcher matcher = RANGE.matcher(range.trim());
			if (matcher.matches() && !(matcher.group(1).isEmpty() && matcher.group(2).isEmpty())) {
				long first;
				long last;
				if (matcher.group(1).isEmpty()) {
					first = Math.max(0, content.length - Long.parseLong(matcher.group(2)));
					last = content.length - 1;
				}
				else {
					first = Long.parseLong(matcher.group(1));
					last = matcher.group(2).isEmpty() ? content.length - 1
							: Math.min(Long.parseLong(matcher.group(2)), content.length - 1);
				}
				if (first >= content.length || first > last) {
					headers.put("Content-Range", "bytes */" + content.length);
					return new Answer(416, headers, JSON,
							error(416, "requestedRangeNotSatisfiable", "The requested range cannot be satisfied."));
				}
				headers.put("Content-Range", "bytes " + first + "-" + last + "/" + content.length);
				return new Answer(206, headers, object.contentType(),
						Arrays.copyOfRange(content, (int) first, (int) last + 1));
			}
		}
		return new Answer(200, headers, object.contentType(), content);
	}

	private Answer delete(Request request, String bucket, String name) {
		synchronized (this.lock) {
			StoredObject object = existingObject(bucket, name, request.query());
			checkWriteConditions(object, request.query());
			bucket(bucket).remove(name);
		}
		return new Answer(204, Map.of(), null, new byte[0]);
	}

	private Answer patch(Request request, String bucket, String name) {
		JsonNode changes = jsonBody(request.body());
		synchronized (this.lock) {
			StoredObject object = existingObject(bucket, name, request.query());
			checkWriteConditions(object, request.query());
			String contentType = object.contentType();
			if (changes.has("contentType")) {
				contentType = changes.get("contentType").isNull() ? DEFAULT_CONTENT_TYPE
						: changes.get("contentType").asString();
			}
			Map<String, String> metadata = new LinkedHashMap<>(object.metadata());
			if (changes.has("metadata")) {
				JsonNode patch = changes.get("metadata");
				if (patch.isNull()) {
					metadata.clear();
				}
				else {
					for (Map.Entry<String, JsonNode> entry : patch.properties()) {
						if (entry.getValue().isNull()) {
							metadata.remove(entry.getKey());
						}
						else {
							metadata.put(entry.getKey(), entry.getValue().asString());
						}
					}
				}
			}
			StoredObject patched = new StoredObject(bucket, name, object.generation(), object.metageneration() + 1,
					contentType, object.bytes(), metadata, object.md5Hash(), object.crc32c(), object.timeCreated(),
					Instant.now().truncatedTo(ChronoUnit.MILLIS));
			bucket(bucket).put(name, patched);
			return Answer.json(200, resource(patched));
		}
	}

	private Answer list(Request request, String bucket) {
		NavigableMap<String, StoredObject> objects = existingBucket(bucket);
		Map<String, String> query = request.query();
		String prefix = query.getOrDefault("prefix", "");
		String delimiter = query.get("delimiter");
		if (delimiter != null && delimiter.isEmpty()) {
			delimiter = null;
		}
		int maxResults = MAX_RESULTS;
		if (query.containsKey("maxResults")) {
			maxResults = parseNumber("maxResults", query.get("maxResults")).intValue();
			if (maxResults < 0) {
				throw ApiError.of(400, "invalid", "Invalid value for maxResults: " + maxResults);
			}
			maxResults = (maxResults == 0) ? MAX_RESULTS : Math.min(maxResults, MAX_RESULTS);
		}
		String startOffset = query.getOrDefault("startOffset", "");
		String endOffset = query.get("endOffset");
		PageToken after = PageToken.decode(query.get("pageToken"));
		String from = (NAME_ORDER.compare(prefix, startOffset) >= 0) ? prefix : startOffset;
		List<StoredObject> items = new ArrayList<>();
		List<String> prefixes = new ArrayList<>();
		PageToken last = null;
		boolean more = false;
		for (StoredObject object : objects.tailMap(from, true).values()) {
			String name = object.name();
			if (!name.startsWith(prefix)) {
				// Names with the prefix come together, from the prefix on.
				break;
			}
			if (endOffset != null && !endOffset.isEmpty() && NAME_ORDER.compare(name, endOffset) >= 0) {
				break;
			}
			if (after != null && after.covers(name)) {
				continue;
			}
			if (last != null && last.covers(name)) {
				continue;
			}
			int cut = (delimiter != null) ? name.indexOf(delimiter, prefix.length()) : -1;
			PageToken entry = (cut >= 0) ? new PageToken(true, name.substring(0, cut + delimiter.length()))
					: new PageToken(false, name);
			if (items.size() + prefixes.size() == maxResults) {
				more = true;
				break;
			}
			if (entry.prefix()) {
				prefixes.add(entry.name());
			}
			else {
				items.add(object);
			}
			last = entry;
		}
		ObjectNode answer = json.createObjectNode();
		answer.put("kind", "storage#objects");
		if (more && last != null) {
			answer.put("nextPageToken", last.encode());
		}
		if (!prefixes.isEmpty()) {
			ArrayNode array = answer.putArray("prefixes");
			prefixes.forEach(array::add);
		}
		if (!items.isEmpty()) {
			ArrayNode array = answer.putArray("items");
			items.forEach((object) -> array.add(resource(object)));
		}
		return Answer.json(200, answer);
	}

	private Answer upload(Request request, String bucket) {
		String uploadId = request.query().get("upload_id");
		if (uploadId != null) {
			return resumable(request, uploadId);
		}
		if (!request.method().equals("POST")) {
			throw ApiError.of(400, "invalid", "Upload requests are POST, or PUT with an upload_id");
		}
		String uploadType = request.query().get("uploadType");
		if (uploadType == null) {
			throw ApiError.of(400, "required", "Required parameter: uploadType");
		}
		existingBucket(bucket);
		switch (uploadType) {
			case "multipart":
				return multipart(request, bucket);
			case "media":
				return Answer.json(200,
						resource(store(bucket, request.query().get("name"), json.createObjectNode(),
								request.header("Content-Type"), request.body(), request.query(),
								request.header("X-Goog-Hash"))));
			case "resumable":
				return startResumable(request, bucket);
			default:
				throw ApiError.of(400, "invalid", "Invalid upload type: " + uploadType);
		}
	}

	private Answer multipart(Request request, String bucket) {
		List<Part> parts = Part.parse(request.body(), request.header("Content-Type"));
		if (parts.size() != 2) {
			throw ApiError.of(400, "invalid",
					"A multipart upload has two parts, metadata and media, not " + parts.size());
		}
		JsonNode metadata = jsonBody(parts.get(0).content());
		Part media = parts.get(1);
		String name = (text(metadata, "name") != null) ? text(metadata, "name") : request.query().get("name");
		return Answer.json(200, resource(store(bucket, name, metadata, media.header("Content-Type"), media.content(),
				request.query(), request.header("X-Goog-Hash"))));
	}

	private Answer startResumable(Request request, String bucket) {
		JsonNode metadata = (request.body().length > 0) ? jsonBody(request.body()) : json.createObjectNode();
		String name = (text(metadata, "name") != null) ? text(metadata, "name") : request.query().get("name");
		checkName(name);
		synchronized (this.lock) {
			checkWriteConditions(bucket(bucket).get(name), request.query());
		}
		String id = UUID.randomUUID().toString().replace("-", "");
		this.uploads.put(id, new Upload(bucket, name, metadata, request.header("X-Upload-Content-Type"),
				Map.copyOf(request.query())));
		String location = host() + "/upload/storage/v1/b/" + encodePath(bucket) + "/o?uploadType=resumable&upload_id="
				+ id;
		return new Answer(200, Map.of("Location", location, "X-GUploader-UploadID", id), null, new byte[0]);
	}

	private Answer resumable(Request request, String uploadId) {
		Upload upload = this.uploads.get(uploadId);
		if (upload == null) {
			throw ApiError.of(404, "notFound", "No such upload session: " + uploadId);
		}
		synchronized (upload) {
			if (request.method().equals("DELETE")) {
				upload.cancelled = true;
				return new Answer(499, Map.of(), null, new byte[0]);
			}
			if (!request.method().equals("PUT") && !request.method().equals("POST")) {
				throw ApiError.of(400, "invalid", request.method() + " of an upload session");
			}
			if (upload.cancelled) {
				return new Answer(499, Map.of(), null, new byte[0]);
			}
			if (upload.result != null) {
				return Answer.json(200, resource(upload.result));
			}
			byte[] chunk = request.body();
			long persisted = upload.received.size();
			String contentRange = request.header("Content-Range");
			long total;
			if (contentRange == null) {
				if (persisted > 0) {
					throw ApiError.of(400, "invalid", "Content-Range is required after the first chunk");
				}
				total = chunk.length;
				upload.received.writeBytes(chunk);
			}
			else {
				Matcher range = CONTENT_RANGE.matcher(contentRange.trim());
				if (!range.matches()) {
					throw ApiError.of(400, "invalid", "Invalid Content-Range: " + contentRange);
				}
				total = range.group(3).equals("*") ? -1 : Long.parseLong(range.group(3));
				if (range.group(1) != null) {
					long first = Long.parseLong(range.group(1));
					long last = Long.parseLong(range.group(2));
					if (last < first || last - first + 1 != chunk.length) {
						throw ApiError.of(400, "invalid", "Content-Range " + contentRange + " does not match the "
								+ chunk.length + " bytes sent");
					}
					if (first > persisted) {
						return textError(503,
								"Invalid request. According to the Content-Range header, the upload" + " offset is "
										+ first + " byte(s), which exceeds already uploaded size of " + persisted
										+ " byte(s).");
					}
					// Bytes sent again after a lost answer are kept once.
					if (last + 1 > persisted) {
						upload.received.write(chunk, (int) (persisted - first), (int) (last + 1 - persisted));
					}
				}
				else if (chunk.length > 0) {
					throw ApiError.of(400, "invalid", "Content-Range " + contentRange + " sends no bytes");
				}
			}
			long size = upload.received.size();
			if (total >= 0 && size > total) {
				throw ApiError.of(400, "invalid", "The upload has " + size + " bytes, more than its total " + total);
			}
			if (total < 0 || size < total) {
				return new Answer(308, (size > 0) ? Map.of("Range", "bytes=0-" + (size - 1)) : Map.of(), null,
						new byte[0]);
			}
			JsonNode metadata = upload.metadata;
			StoredObject stored = store(upload.bucket, upload.name, metadata, upload.contentType,
					upload.received.toByteArray(), upload.query, request.header("X-Goog-Hash"));
			upload.result = stored;
			return Answer.json(200, resource(stored));
		}
	}

	/**
	 * Writes an object whole, as one generation, if its checksums and preconditions hold.
	 */
	private StoredObject store(String bucket, @Nullable String name, JsonNode metadata,
			@Nullable String fallbackContentType, byte[] content, Map<String, String> query,
			@Nullable String googHash) {
		checkName(name);
		NavigableMap<String, StoredObject> objects = existingBucket(bucket);
		String md5 = base64(digest("MD5", content));
		CRC32C crc = new CRC32C();
		crc.update(content);
		String crc32c = base64(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
		checkHash("MD5", text(metadata, "md5Hash"), md5);
		checkHash("CRC32C", text(metadata, "crc32c"), crc32c);
		if (googHash != null) {
			for (String hash : googHash.split(",")) {
				String[] pair = hash.trim().split("=", 2);
				if (pair.length == 2 && pair[0].equalsIgnoreCase("md5")) {
					checkHash("MD5", pair[1], md5);
				}
				else if (pair.length == 2 && pair[0].equalsIgnoreCase("crc32c")) {
					checkHash("CRC32C", pair[1], crc32c);
				}
			}
		}
		String contentType = text(metadata, "contentType");
		if (contentType == null || contentType.isEmpty()) {
			contentType = (fallbackContentType != null && !fallbackContentType.isEmpty()) ? fallbackContentType
					: DEFAULT_CONTENT_TYPE;
		}
		Map<String, String> custom = new LinkedHashMap<>();
		JsonNode given = metadata.path("metadata");
		if (given.isObject()) {
			for (Map.Entry<String, JsonNode> entry : given.properties()) {
				if (!entry.getValue().isNull()) {
					custom.put(entry.getKey(), entry.getValue().asString());
				}
			}
		}
		synchronized (this.lock) {
			checkWriteConditions(objects.get(name), query);
			long generation = nextGeneration();
			Instant now = Instant.ofEpochSecond(0, generation * 1000).truncatedTo(ChronoUnit.MILLIS);
			StoredObject stored = new StoredObject(bucket, name, generation, 1, contentType, content, custom, md5,
					crc32c, now, now);
			objects.put(name, stored);
			return stored;
		}
	}

	/** Generations are microseconds since the epoch, as Cloud Storage's are, and grow. */
	private long nextGeneration() {
		long now = Instant.now().toEpochMilli() * 1000 + (System.nanoTime() / 1000) % 1000;
		this.lastGeneration = Math.max(this.lastGeneration + 1, now);
		return this.lastGeneration;
	}

	private NavigableMap<String, StoredObject> existingBucket(String bucket) {
		NavigableMap<String, StoredObject> objects = this.buckets.get(bucket);
		if (objects == null) {
			throw ApiError.of(404, "notFound", "The specified bucket does not exist.");
		}
		return objects;
	}

	private StoredObject existingObject(String bucket, String name, Map<String, String> query) {
		StoredObject object = existingBucket(bucket).get(name);
		String generation = query.get("generation");
		if (object == null || (generation != null && parseNumber("generation", generation) != object.generation())) {
			throw ApiError.of(404, "notFound", "No such object: " + bucket + "/" + name);
		}
		return object;
	}

	private static void checkReadConditions(StoredObject object, Map<String, String> query) {
		if (notMatching(query.get("ifGenerationNotMatch"), object.generation())
				|| notMatching(query.get("ifMetagenerationNotMatch"), object.metageneration())) {
			throw new ApiError(304, null, null);
		}
		checkMatches(query, object.generation(), object.metageneration());
	}

	private static void checkWriteConditions(@Nullable StoredObject current, Map<String, String> query) {
		long generation = (current != null) ? current.generation() : 0;
		if (notMatching(query.get("ifGenerationNotMatch"), generation)) {
			throw preconditionFailed();
		}
		if (current == null && query.containsKey("ifMetagenerationMatch")) {
			throw preconditionFailed();
		}
		if (current != null && notMatching(query.get("ifMetagenerationNotMatch"), current.metageneration())) {
			throw preconditionFailed();
		}
		checkMatches(query, generation, (current != null) ? current.metageneration() : 0);
	}

	private static void checkMatches(Map<String, String> query, long generation, long metageneration) {
		String ifGeneration = query.get("ifGenerationMatch");
		String ifMetageneration = query.get("ifMetagenerationMatch");
		if ((ifGeneration != null && parseNumber("ifGenerationMatch", ifGeneration) != generation)
				|| (ifMetageneration != null
						&& parseNumber("ifMetagenerationMatch", ifMetageneration) != metageneration)) {
			throw preconditionFailed();
		}
	}

	/** Whether an {@code if...NotMatch} condition names the value, so that it fails. */
	private static boolean notMatching(@Nullable String condition, long value) {
		return condition != null && parseNumber("precondition", condition) == value;
	}

	private static ApiError preconditionFailed() {
		return ApiError.of(412, "conditionNotMet", "At least one of the pre-conditions you specified did not hold.");
	}

	private static Long parseNumber(String parameter, String value) {
		try {
			return Long.parseLong(value);
		}
		catch (NumberFormatException ex) {
			throw ApiError.of(400, "invalid", "Invalid value for " + parameter + ": " + value);
		}
	}

	private static void checkName(@Nullable String name) {
		if (name == null || name.isEmpty()) {
			throw ApiError.of(400, "required", "Required");
		}
		if (name.getBytes(StandardCharsets.UTF_8).length > MAX_NAME_BYTES || name.contains("\r") || name.contains("\n")
				|| name.equals(".") || name.equals("..") || name.startsWith(".well-known/acme-challenge/")) {
			throw ApiError.of(400, "invalid", "The specified object name is not valid.");
		}
	}

	private static void checkHash(String algorithm, @Nullable String provided, String calculated) {
		if (provided != null && !provided.equals(calculated)) {
			throw ApiError.of(400, "invalid", "Provided " + algorithm + " hash \"" + provided
					+ "\" doesn't match calculated " + algorithm + " hash \"" + calculated + "\".");
		}
	}

	private ObjectNode resource(StoredObject object) {
		String link = "/b/" + encodePath(object.bucket()) + "/o/" + encodePath(object.name());
		ObjectNode resource = json.createObjectNode();
		resource.put("kind", "storage#object");
		resource.put("id", object.bucket() + "/" + object.name() + "/" + object.generation());
		resource.put("selfLink", host() + "/storage/v1" + link);
		resource.put("mediaLink",
				host() + "/download/storage/v1" + link + "?generation=" + object.generation() + "&alt=media");
		resource.put("name", object.name());
		resource.put("bucket", object.bucket());
		resource.put("generation", Long.toString(object.generation()));
		resource.put("metageneration", Long.toString(object.metageneration()));
		resource.put("contentType", object.contentType());
		resource.put("storageClass", "STANDARD");
		resource.put("size", Long.toString(object.size()));
		resource.put("md5Hash", object.md5Hash());
		resource.put("crc32c", object.crc32c());
		resource.put("etag", etag(object));
		resource.put("timeCreated", RFC_3339.format(object.timeCreated()));
		resource.put("updated", RFC_3339.format(object.updated()));
		resource.put("timeStorageClassUpdated", RFC_3339.format(object.timeCreated()));
		if (!object.metadata().isEmpty()) {
			ObjectNode metadata = resource.putObject("metadata");
			object.metadata().forEach(metadata::put);
		}
		return resource;
	}

	private static String etag(StoredObject object) {
		return base64((object.generation() + "/" + object.metageneration()).getBytes(StandardCharsets.US_ASCII));
	}

	private static @Nullable String text(JsonNode node, String field) {
		JsonNode value = node.get(field);
		return (value != null && value.isString()) ? value.asString() : null;
	}

	private static JsonNode jsonBody(byte[] body) {
		try {
			JsonNode node = json.readTree(body);
			if (node == null || !node.isObject()) {
				throw ApiError.of(400, "parseError", "The request body is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw ApiError.of(400, "parseError", "Parse Error: " + ex.getOriginalMessage());
		}
	}

	private static Answer textError(int status, String message) {
		return new Answer(status, Map.of(), "text/plain; charset=utf-8", message.getBytes(StandardCharsets.UTF_8));
	}

	private static byte[] error(int status, String reason, String message) {
		ObjectNode root = json.createObjectNode();
		ObjectNode error = root.putObject("error");
		error.put("code", status);
		error.put("message", message);
		ObjectNode detail = error.putArray("errors").addObject();
		detail.put("message", message);
		detail.put("domain", "global");
		detail.put("reason", reason);
		return json.writeValueAsBytes(root);
	}

	private static Map<String, String> query(@Nullable String rawQuery) {
		Map<String, String> query = new LinkedHashMap<>();
		if (rawQuery != null) {
			for (String pair : rawQuery.split("&")) {
				if (pair.isEmpty()) {
					continue;
				}
				int equals = pair.indexOf('=');
				String name = (equals >= 0) ? pair.substring(0, equals) : pair;
				String value = (equals >= 0) ? pair.substring(equals + 1) : "";
				query.putIfAbsent(URLDecoder.decode(name, StandardCharsets.UTF_8),
						URLDecoder.decode(value, StandardCharsets.UTF_8));
			}
		}
		return query;
	}

	/** Percent-decodes a path segment: unlike a query, a path keeps its {@code +}. */
	private static String decodePath(String raw) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		int i = 0;
		while (i < raw.length()) {
			if (raw.charAt(i) == '%' && i + 2 < raw.length()) {
				try {
					bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
				}
				catch (NumberFormatException ex) {
					throw ApiError.of(400, "invalid", "Invalid percent-encoding in " + raw);
				}
				i += 3;
			}
			else {
				int codePoint = raw.codePointAt(i);
				bytes.writeBytes(Character.toString(codePoint).getBytes(StandardCharsets.UTF_8));
				i += Character.charCount(codePoint);
			}
		}
		return bytes.toString(StandardCharsets.UTF_8);
	}

	/** Percent-encodes everything but RFC 3986's unreserved characters. */
	private static String encodePath(String text) {
		StringBuilder encoded = new StringBuilder();
		for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
			char c = (char) (b & 0xff);
			if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || "-._~".indexOf(c) >= 0) {
				encoded.append(c);
			}
			else {
				encoded.append('%').append(String.format("%02X", b & 0xff));
			}
		}
		return encoded.toString();
	}

	private static byte[] digest(String algorithm, byte[] content) {
		try {
			return MessageDigest.getInstance(algorithm).digest(content);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String base64(byte[] bytes) {
		return Base64.getEncoder().encodeToString(bytes);
	}

	/**
	 * A request as the server received it.
	 *
	 * @param method the HTTP method, or the method an {@code X-HTTP-Method-Override}
	 * header named
	 * @param path the request path, percent-encoded as sent
	 * @param query the query string, percent-encoded as sent, if any
	 * @param status the HTTP status of the answer
	 */
	public record RecordedRequest(String method, String path, @Nullable String query, int status) {

		/**
		 * The request as one line, such as
		 * {@code POST /upload/storage/v1/b/a/o?uploadType=multipart -> 200}.
		 * @return the line
		 */
		@Override
		public String toString() {
			return this.method + " " + this.path + ((this.query != null) ? "?" + this.query : "") + " -> "
					+ this.status;
		}

	}

	private record Request(String method, String path, Map<String, String> query, HttpExchange exchange, byte[] body) {

		@Nullable String header(String name) {
			return this.exchange.getRequestHeaders().getFirst(name);
		}

	}

	private record Answer(int status, Map<String, String> headers, @Nullable String contentType, byte[] body) {

		static Answer json(int status, JsonNode body) {
			return new Answer(status, Map.of(), JSON, json.writeValueAsBytes(body));
		}

		void send(HttpExchange exchange) throws IOException {
			this.headers.forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
			if (this.contentType != null) {
				exchange.getResponseHeaders().set("Content-Type", this.contentType);
			}
			boolean empty = this.body.length == 0;
			exchange.sendResponseHeaders(this.status, empty ? -1 : this.body.length);
			if (!empty) {
				exchange.getResponseBody().write(this.body);
			}
		}

	}

	private static final class ApiError extends RuntimeException {

		private final int status;

		private final @Nullable String reason;

		private ApiError(int status, @Nullable String reason, @Nullable String message) {
			super(message, null, false, false);
			this.status = status;
			this.reason = reason;
		}

		static ApiError of(int status, String reason, String message) {
			return new ApiError(status, reason, message);
		}

		Answer answer() {
			String message = getMessage();
			if (this.reason == null || message == null) {
				return new Answer(this.status, Map.of(), null, new byte[0]);
			}
			return new Answer(this.status, Map.of(), JSON, error(this.status, this.reason, message));
		}

	}

	/**
	 * Where a listing page ended: after an object, or after every object under a prefix
	 * that the delimiter rolled up.
	 */
	private record PageToken(boolean prefix, String name) {

		boolean covers(String objectName) {
			return NAME_ORDER.compare(objectName, this.name) <= 0 || (this.prefix && objectName.startsWith(this.name));
		}

		String encode() {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(((this.prefix ? "p:" : "o:") + this.name).getBytes(StandardCharsets.UTF_8));
		}

		static @Nullable PageToken decode(@Nullable String token) {
			if (token == null || token.isEmpty()) {
				return null;
			}
			try {
				String decoded = new String(Base64.getUrlDecoder().decode(token), StandardCharsets.UTF_8);
				if (decoded.startsWith("p:") || decoded.startsWith("o:")) {
					return new PageToken(decoded.startsWith("p:"), decoded.substring(2));
				}
			}
			catch (IllegalArgumentException ex) {
				// Not a token of this server.
			}
			throw ApiError.of(400, "invalid", "Invalid page token: " + token);
		}

	}

	private static final class Upload {

		private final String bucket;

		private final String name;

		private final JsonNode metadata;

		private final @Nullable String contentType;

		private final Map<String, String> query;

		private final ByteArrayOutputStream received = new ByteArrayOutputStream();

		private @Nullable StoredObject result;

		private boolean cancelled;

		Upload(String bucket, String name, JsonNode metadata, @Nullable String contentType, Map<String, String> query) {
			this.bucket = bucket;
			this.name = name;
			this.metadata = metadata;
			this.contentType = contentType;
			this.query = query;
		}

	}

	/** One part of a {@code multipart/related} body. */
	private record Part(Map<String, String> headers, byte[] content) {

		@Nullable String header(String name) {
			return this.headers.get(name.toLowerCase(Locale.ROOT));
		}

		static List<Part> parse(byte[] body, @Nullable String contentType) {
			String boundary = boundary(contentType);
			byte[] delimiter = ("--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
			byte[] next = ("\r\n--" + boundary).getBytes(StandardCharsets.ISO_8859_1);
			int position = indexOf(body, delimiter, 0);
			if (position < 0) {
				throw ApiError.of(400, "invalid", "No multipart boundary in the body");
			}
			position += delimiter.length;
			List<Part> parts = new ArrayList<>();
			while (!(position + 1 < body.length && body[position] == '-' && body[position + 1] == '-')) {
				position = skipLine(body, position);
				int end = indexOf(body, next, position);
				if (end < 0) {
					throw ApiError.of(400, "invalid", "The multipart body has no closing boundary");
				}
				parts.add(part(Arrays.copyOfRange(body, position, end)));
				position = end + next.length;
			}
			return parts;
		}

		private static Part part(byte[] bytes) {
			byte[] blank = "\r\n\r\n".getBytes(StandardCharsets.ISO_8859_1);
			int headersEnd;
			int contentStart;
			if (bytes.length >= 2 && bytes[0] == '\r' && bytes[1] == '\n') {
				headersEnd = 0;
				contentStart = 2;
			}
			else {
				headersEnd = indexOf(bytes, blank, 0);
				if (headersEnd < 0) {
					throw ApiError.of(400, "invalid", "A multipart part has no end of headers");
				}
				contentStart = headersEnd + blank.length;
			}
			Map<String, String> headers = new LinkedHashMap<>();
			for (String line : new String(bytes, 0, headersEnd, StandardCharsets.ISO_8859_1).split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					headers.put(line.substring(0, colon).trim().toLowerCase(Locale.ROOT),
							line.substring(colon + 1).trim());
				}
			}
			byte[] content = Arrays.copyOfRange(bytes, contentStart, bytes.length);
			if ("base64".equalsIgnoreCase(headers.get("content-transfer-encoding"))) {
				content = Base64.getMimeDecoder().decode(content);
			}
			return new Part(headers, content);
		}

		private static String boundary(@Nullable String contentType) {
			if (contentType != null && contentType.toLowerCase(Locale.ROOT).startsWith("multipart/related")) {
				for (String parameter : contentType.split(";")) {
					String[] pair = parameter.trim().split("=", 2);
					if (pair.length == 2 && pair[0].trim().equalsIgnoreCase("boundary")) {
						String value = pair[1].trim();
						return (value.length() > 1 && value.startsWith("\"") && value.endsWith("\""))
								? value.substring(1, value.length() - 1) : value;
					}
				}
			}
			throw ApiError.of(400, "invalid",
					"A multipart upload is multipart/related with a boundary, not " + contentType);
		}

		/** Skips what follows a boundary: optional white space and the line end. */
		private static int skipLine(byte[] body, int position) {
			int i = position;
			while (i < body.length && (body[i] == ' ' || body[i] == '\t')) {
				i++;
			}
			if (i + 1 < body.length && body[i] == '\r' && body[i + 1] == '\n') {
				return i + 2;
			}
			throw ApiError.of(400, "invalid", "A multipart boundary is not followed by a line end");
		}

		private static int indexOf(byte[] haystack, byte[] needle, int from) {
			outer: for (int i = from; i <= haystack.length - needle.length; i++) {
				for (int j = 0; j < needle.length; j++) {
					if (haystack[i + j] != needle[j]) {
						continue outer;
					}
				}
				return i;
			}
			return -1;
		}

	}

}
