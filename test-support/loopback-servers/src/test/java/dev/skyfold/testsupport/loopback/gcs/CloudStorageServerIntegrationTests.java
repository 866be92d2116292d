package dev.skyfold.testsupport.loopback.gcs;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The local Cloud Storage answers the JSON API on the wire as Cloud Storage does: uploads
 * (multipart, media, resumable), resources, downloads, listings, preconditions and
 * errors. The official client's side of the conversation is checked where the client is,
 * in image-resizer-gcp.
 */
class CloudStorageServerIntegrationTests {

	private static final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final String BOUNDARY = "__END_OF_PART__test__";

	private CloudStorageServer server;

	@BeforeEach
	void start() {
		this.server = CloudStorageServer.start("photos", "other");
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void uploadsAnObjectInOneMultipartRequestAndDescribesItAsCloudStorageDoes() throws Exception {
		Instant before = Instant.now().minusSeconds(1);
		HttpResponse<String> answer = multipart("photos",
				"{\"name\":\"uploads/a b+c.txt\",\"contentType\":\"text/plain\",\"metadata\":{\"source-key\":\"été\"}}",
				"hello");

		assertThat(answer.statusCode()).isEqualTo(200);
		assertThat(answer.headers().firstValue("Content-Type"))
			.hasValueSatisfying((type) -> assertThat(type).startsWith("application/json"));
		JsonNode object = json.readTree(answer.body());
		assertThat(object.path("kind").asString()).isEqualTo("storage#object");
		assertThat(object.path("bucket").asString()).isEqualTo("photos");
		assertThat(object.path("name").asString()).isEqualTo("uploads/a b+c.txt");
		assertThat(object.path("contentType").asString()).isEqualTo("text/plain");
		assertThat(object.path("size").isString()).as("int64 as a JSON string").isTrue();
		assertThat(object.path("size").asString()).isEqualTo("5");
		assertThat(object.path("md5Hash").asString()).isEqualTo("XUFAKrxLKna5cZ2REBfFkg==");
		assertThat(object.path("crc32c").asString()).isEqualTo("mnG7TA==");
		assertThat(object.path("metageneration").asString()).isEqualTo("1");
		assertThat(object.path("metadata").path("source-key").asString()).isEqualTo("été");
		assertThat(object.path("timeCreated").asString())
			.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
		assertThat(object.path("updated").asString()).isEqualTo(object.path("timeCreated").asString());
		assertThat(object.path("mediaLink").asString())
			.startsWith(this.server.host() + "/download/storage/v1/b/photos/o/uploads%2Fa%20b%2Bc.txt?generation=");
		long generation = Long.parseLong(object.path("generation").asString());
		assertThat(this.server.objects("photos")).singleElement().satisfies((stored) -> {
			assertThat(stored.name()).isEqualTo("uploads/a b+c.txt");
			assertThat(stored.generation()).isEqualTo(generation);
			assertThat(stored.content()).asString(StandardCharsets.UTF_8).isEqualTo("hello");
			assertThat(stored.contentType()).isEqualTo("text/plain");
			assertThat(stored.timeCreated()).isAfter(before);
		});
		assertThat(this.server.objects("other")).isEmpty();
	}

	@Test
	void computesChecksumsAsCloudStorageDoes() throws Exception {
		upload("photos", "check", "123456789");
		upload("photos", "empty", "");

		// CRC32C("123456789") is 0xE3069283, sent big-endian in base64.
		assertThat(this.server.object("photos", "check")).hasValueSatisfying((object) -> {
			assertThat(object.crc32c()).isEqualTo("4waSgw==");
			assertThat(object.md5Hash()).isEqualTo("JfnnlDI7RTiF9RgfG2JNCw==");
		});
		assertThat(this.server.object("photos", "empty")).hasValueSatisfying((object) -> {
			assertThat(object.crc32c()).isEqualTo("AAAAAA==");
			assertThat(object.md5Hash()).isEqualTo("1B2M2Y8AsgTpgAmY7PhCfg==");
		});
	}

	@Test
	void refusesAnUploadWhoseChecksumDoesNotMatchAndStoresNothing() throws Exception {
		HttpResponse<String> crc = multipart("photos", "{\"name\":\"a\",\"crc32c\":\"AAAAAA==\"}", "hello");
		HttpResponse<String> md5 = multipart("photos", "{\"name\":\"a\",\"md5Hash\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
				"hello");

		assertError(crc, 400, "invalid");
		assertThat(json.readTree(crc.body()).path("error").path("message").asString()).contains("CRC32C");
		assertError(md5, 400, "invalid");
		assertThat(this.server.objects("photos")).isEmpty();
	}

	@Test
	void takesAMediaUploadAndAGzipCompressedBody() throws Exception {
		HttpResponse<String> media = send(
				HttpRequest.newBuilder(uri("/upload/storage/v1/b/photos/o?uploadType=media&name=plain%2Bfile.txt"))
					.header("Content-Type", "text/csv")
					.POST(HttpRequest.BodyPublishers.ofString("a,b")));
		ByteArrayOutputStream gzip = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(gzip)) {
			out.write(multipartBody("{\"name\":\"zipped\"}", "compressed content"));
		}
		HttpResponse<String> zipped = send(
				HttpRequest.newBuilder(uri("/upload/storage/v1/b/photos/o?uploadType=multipart"))
					.header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
					.header("Content-Encoding", "gzip")
					.POST(HttpRequest.BodyPublishers.ofByteArray(gzip.toByteArray())));

		assertThat(media.statusCode()).isEqualTo(200);
		assertThat(zipped.statusCode()).isEqualTo(200);
		assertThat(this.server.object("photos", "plain+file.txt")).map(StoredObject::contentType).hasValue("text/csv");
		assertThat(this.server.object("photos", "zipped")).hasValueSatisfying((object) -> {
			assertThat(object.content()).asString(StandardCharsets.UTF_8).isEqualTo("compressed content");
			assertThat(object.contentType()).isEqualTo("application/octet-stream");
		});
	}

	@Test
	void uploadsInChunksThroughAResumableSession() throws Exception {
		HttpResponse<String> started = send(
				HttpRequest.newBuilder(uri("/upload/storage/v1/b/photos/o?uploadType=resumable&name=big.bin"))
					.header("Content-Type", "application/json; charset=UTF-8")
					.header("X-Upload-Content-Type", "image/png")
					.POST(HttpRequest.BodyPublishers.ofString("{\"metadata\":{\"k\":\"v\"}}")));
		assertThat(started.statusCode()).isEqualTo(200);
		URI session = URI.create(started.headers().firstValue("Location").orElseThrow());
		assertThat(session.toString()).startsWith(this.server.host() + "/upload/storage/v1/b/photos/o?")
			.contains("upload_id=");

		HttpResponse<String> first = put(session, "bytes 0-3/*", "0123");
		assertThat(first.statusCode()).isEqualTo(308);
		assertThat(first.headers().firstValue("Range")).hasValue("bytes=0-3");
		HttpResponse<String> status = put(session, "bytes */*", "");
		assertThat(status.statusCode()).isEqualTo(308);
		assertThat(status.headers().firstValue("Range")).hasValue("bytes=0-3");
		// A chunk sent again after a lost answer overlaps what arrived: kept once.
		HttpResponse<String> overlapping = put(session, "bytes 2-5/*", "2345");
		assertThat(overlapping.headers().firstValue("Range")).hasValue("bytes=0-5");
		assertThat(this.server.objects("photos")).as("nothing until the last byte").isEmpty();
		HttpResponse<String> last = send(HttpRequest.newBuilder(session)
			.header("Content-Range", "bytes 6-9/10")
			.header("X-Goog-Hash", "crc32c=" + crc32c("0123456789"))
			.PUT(HttpRequest.BodyPublishers.ofString("6789")));
		assertThat(last.statusCode()).isEqualTo(200);
		JsonNode object = json.readTree(last.body());
		assertThat(object.path("size").asString()).isEqualTo("10");
		assertThat(object.path("contentType").asString()).isEqualTo("image/png");
		assertThat(object.path("metadata").path("k").asString()).isEqualTo("v");
		assertThat(this.server.object("photos", "big.bin")).hasValueSatisfying(
				(stored) -> assertThat(stored.content()).asString(StandardCharsets.UTF_8).isEqualTo("0123456789"));
		// Asked again, a finished session answers with its object.
		assertThat(put(session, "bytes */10", "").statusCode()).isEqualTo(200);
		assertThat(this.server.objects("photos")).hasSize(1);
	}

	@Test
	void refusesAResumableSessionAheadOfWhatArrivedOrWithAWrongChecksum() throws Exception {
		URI session = resumable("photos", "a.bin");
		HttpResponse<String> ahead = put(session, "bytes 5-9/10", "56789");
		assertThat(ahead.statusCode()).isEqualTo(503);
		assertThat(ahead.body()).contains("Content-Range");
		HttpResponse<String> wrong = send(HttpRequest.newBuilder(session)
			.header("Content-Range", "bytes 0-4/5")
			.header("X-Goog-Hash", "crc32c=AAAAAA==")
			.PUT(HttpRequest.BodyPublishers.ofString("01234")));
		assertError(wrong, 400, "invalid");
		assertThat(this.server.objects("photos")).isEmpty();
		URI cancelled = resumable("photos", "b.bin");
		assertThat(send(HttpRequest.newBuilder(cancelled).DELETE()).statusCode()).isEqualTo(499);
		assertThat(put(cancelled, "bytes 0-0/1", "x").statusCode()).isEqualTo(499);
		assertThat(put(uri("/upload/storage/v1/b/photos/o?uploadType=resumable&upload_id=nope"), "bytes */*", "")
			.statusCode()).isEqualTo(404);
	}

	@Test
	void downloadsAnObjectWholeOrARangeWithTheHeadersTheClientReads() throws Exception {
		JsonNode object = upload("photos", "folder/photo.jpg", "0123456789");
		String generation = object.path("generation").asString();

		for (String path : List.of("/download/storage/v1/b/photos/o/folder%2Fphoto.jpg?alt=media",
				"/storage/v1/b/photos/o/folder%2Fphoto.jpg?alt=media")) {
			HttpResponse<String> whole = get(path);
			assertThat(whole.statusCode()).isEqualTo(200);
			assertThat(whole.body()).isEqualTo("0123456789");
			assertThat(whole.headers().firstValue("Content-Type")).hasValue("application/octet-stream");
			assertThat(whole.headers().firstValue("X-Goog-Generation")).hasValue(generation);
			assertThat(whole.headers().firstValue("X-Goog-Metageneration")).hasValue("1");
			assertThat(whole.headers().firstValue("X-Goog-Stored-Content-Length")).hasValue("10");
			assertThat(whole.headers().firstValue("X-Goog-Hash"))
				.hasValue("crc32c=" + crc32c("0123456789") + ",md5=" + object.path("md5Hash").asString());
		}
		HttpResponse<String> range = send(
				HttpRequest.newBuilder(uri("/download/storage/v1/b/photos/o/folder%2Fphoto.jpg?alt=media"))
					.header("Range", "bytes=2-4"));
		assertThat(range.statusCode()).isEqualTo(206);
		assertThat(range.body()).isEqualTo("234");
		assertThat(range.headers().firstValue("Content-Range")).hasValue("bytes 2-4/10");
		HttpResponse<String> tail = send(
				HttpRequest.newBuilder(uri("/storage/v1/b/photos/o/folder%2Fphoto.jpg?alt=media"))
					.header("Range", "bytes=-3"));
		assertThat(tail.body()).isEqualTo("789");
		HttpResponse<String> beyond = send(
				HttpRequest.newBuilder(uri("/storage/v1/b/photos/o/folder%2Fphoto.jpg?alt=media"))
					.header("Range", "bytes=10-"));
		assertThat(beyond.statusCode()).isEqualTo(416);
		assertThat(get("/storage/v1/b/photos/o/folder%2Fphoto.jpg?alt=media&generation=" + generation).statusCode())
			.isEqualTo(200);
		assertThat(get("/storage/v1/b/photos/o/folder%2Fphoto.jpg?alt=media&generation=1").statusCode()).isEqualTo(404);
	}

	@Test
	void answersMissingBucketsAndObjectsAsTheApiDoes() throws Exception {
		upload("photos", "a.jpg", "x");

		HttpResponse<String> object = get("/storage/v1/b/photos/o/b.jpg");
		assertError(object, 404, "notFound");
		assertThat(json.readTree(object.body()).path("error").path("message").asString())
			.isEqualTo("No such object: photos/b.jpg");
		assertError(get("/storage/v1/b/missing/o/a.jpg"), 404, "notFound");
		assertError(get("/download/storage/v1/b/other/o/a.jpg?alt=media"), 404, "notFound");
		assertError(get("/storage/v1/b/missing/o"), 404, "notFound");
		assertError(send(HttpRequest.newBuilder(uri("/storage/v1/b/photos/o/b.jpg")).DELETE()), 404, "notFound");
		assertError(multipart("missing", "{\"name\":\"a\"}", "x"), 404, "notFound");
		assertThat(get("/storage/v1/b/photos").statusCode()).isEqualTo(200);
		assertThat(json.readTree(get("/storage/v1/b/photos").body()).path("name").asString()).isEqualTo("photos");
		assertError(get("/storage/v1/b/missing"), 404, "notFound");
		assertError(send(HttpRequest.newBuilder(uri("/storage/v1/b/photos/o/a.jpg/rewriteTo/b/other/o/a.jpg"))
			.POST(HttpRequest.BodyPublishers.noBody())), 501, "notImplemented");
	}

	@Test
	void refusesNamesCloudStorageRefuses() throws Exception {
		for (String name : List.of("", ".", "..", "a\\nb", "a\\rb", ".well-known/acme-challenge/x", "x".repeat(1025))) {
			assertThat(multipart("photos", "{\"name\":\"" + name + "\"}", "x").statusCode()).as(name).isEqualTo(400);
		}
		assertThat(multipart("photos", "{\"name\":\"" + "é".repeat(512) + "\"}", "x").statusCode()).as("1024 bytes")
			.isEqualTo(200);
	}

	@Test
	void holdsGenerationAndMetagenerationPreconditions() throws Exception {
		String generation = upload("photos", "a.jpg", "first").path("generation").asString();

		assertError(multipart("photos", "{\"name\":\"a.jpg\"}", "second", "ifGenerationMatch=0"), 412,
				"conditionNotMet");
		assertThat(multipart("photos", "{\"name\":\"new.jpg\"}", "new", "ifGenerationMatch=0").statusCode())
			.isEqualTo(200);
		assertError(multipart("photos", "{\"name\":\"a.jpg\"}", "second", "ifGenerationMatch=1"), 412,
				"conditionNotMet");
		assertError(multipart("photos", "{\"name\":\"a.jpg\"}", "second", "ifMetagenerationMatch=2"), 412,
				"conditionNotMet");
		assertThat(this.server.object("photos", "a.jpg")).map(StoredObject::content)
			.hasValueSatisfying((content) -> assertThat(content).asString(StandardCharsets.UTF_8).isEqualTo("first"));
		assertThat(get("/storage/v1/b/photos/o/a.jpg?ifGenerationNotMatch=" + generation).statusCode()).isEqualTo(304);
		assertError(get("/storage/v1/b/photos/o/a.jpg?alt=media&ifGenerationMatch=1"), 412, "conditionNotMet");
		assertError(send(HttpRequest.newBuilder(uri("/storage/v1/b/photos/o/a.jpg?ifGenerationMatch=1")).DELETE()), 412,
				"conditionNotMet");
		JsonNode replaced = json
			.readTree(multipart("photos", "{\"name\":\"a.jpg\"}", "second", "ifGenerationMatch=" + generation).body());
		assertThat(Long.parseLong(replaced.path("generation").asString())).isGreaterThan(Long.parseLong(generation));
		assertThat(send(HttpRequest
			.newBuilder(uri("/storage/v1/b/photos/o/a.jpg?ifGenerationMatch=" + replaced.path("generation").asString()))
			.DELETE()).statusCode()).isEqualTo(204);
		assertThat(this.server.object("photos", "a.jpg")).isEmpty();
		assertThat(multipart("photos", "{\"name\":\"a.jpg\"}", "x").statusCode()).isEqualTo(200);
		assertThat(resumableStatus("photos", "new.jpg", "ifGenerationMatch=0")).isEqualTo(412);
	}

	@Test
	void patchesContentTypeAndCustomMetadata() throws Exception {
		multipart("photos", "{\"name\":\"a.jpg\",\"contentType\":\"image/png\",\"metadata\":{\"a\":\"1\",\"b\":\"2\"}}",
				"x");

		HttpResponse<String> patched = send(HttpRequest.newBuilder(uri("/storage/v1/b/photos/o/a.jpg"))
			.header("Content-Type", "application/json")
			.header("X-HTTP-Method-Override", "PATCH")
			.POST(HttpRequest.BodyPublishers
				.ofString("{\"contentType\":\"image/jpeg\",\"metadata\":{\"a\":null,\"c\":\"3\"}}")));

		assertThat(patched.statusCode()).isEqualTo(200);
		assertThat(json.readTree(patched.body()).path("metageneration").asString()).isEqualTo("2");
		assertThat(this.server.object("photos", "a.jpg")).hasValueSatisfying((object) -> {
			assertThat(object.contentType()).isEqualTo("image/jpeg");
			assertThat(object.metadata()).containsOnly(entry("b", "2"), entry("c", "3"));
			assertThat(object.metageneration()).isEqualTo(2);
			assertThat(object.content()).asString(StandardCharsets.UTF_8).isEqualTo("x");
		});
	}

	@Test
	void listsInNameOrderPageByPageWithPrefixAndDelimiter() throws Exception {
		for (String name : List.of("uploads/b.jpg", "uploads/a.jpg", "uploads/x/1.jpg", "uploads/x/2.jpg",
				"uploadsX.jpg", "resized/a.jpg", "a.jpg", "uploads/\uFFFD.jpg", "uploads/😀.jpg")) {
			upload("photos", name, name);
		}

		assertThat(listAll("prefix=uploads/")).containsExactly("uploads/a.jpg", "uploads/b.jpg", "uploads/x/1.jpg",
				"uploads/x/2.jpg", "uploads/\uFFFD.jpg", "uploads/😀.jpg");
		assertThat(listAll("prefix=uploads/&maxResults=2")).as("in pages of two")
			.containsExactly("uploads/a.jpg", "uploads/b.jpg", "uploads/x/1.jpg", "uploads/x/2.jpg",
					"uploads/\uFFFD.jpg", "uploads/😀.jpg");
		assertThat(listAll("delimiter=/&maxResults=1")).as("one entry a page, in order")
			.containsExactly("a.jpg", "resized/", "uploads/", "uploadsX.jpg");
		assertThat(listAll("prefix=uploads/&delimiter=/")).containsExactlyInAnyOrder("uploads/a.jpg", "uploads/b.jpg",
				"uploads/x/", "uploads/\uFFFD.jpg", "uploads/😀.jpg");
		assertThat(listAll("startOffset=uploads/b&endOffset=uploads/y")).containsExactly("uploads/b.jpg",
				"uploads/x/1.jpg", "uploads/x/2.jpg");
		JsonNode empty = json.readTree(get("/storage/v1/b/other/o").body());
		assertThat(empty.path("kind").asString()).isEqualTo("storage#objects");
		assertThat(empty.has("items")).isFalse();
		assertThat(empty.has("nextPageToken")).isFalse();
		JsonNode first = json.readTree(get("/storage/v1/b/photos/o?maxResults=1").body());
		assertThat(first.path("items").get(0).path("size").asString()).isEqualTo("5");
		assertThat(first.path("nextPageToken").asString()).isNotEmpty();
		assertError(get("/storage/v1/b/photos/o?pageToken=nonsense"), 400, "invalid");
	}

	@Test
	void keepsNamesAsSentPercentEncodedInThePath() throws Exception {
		String name = "été/a b+c%20d?e#f.jpg";
		upload("photos", name, "x");

		HttpResponse<String> described = get(
				"/storage/v1/b/photos/o/%C3%A9t%C3%A9%2Fa%20b%2Bc%2520d%3Fe%23f.jpg?projection=full");

		assertThat(described.statusCode()).isEqualTo(200);
		assertThat(json.readTree(described.body()).path("name").asString()).isEqualTo(name);
		assertThat(listAll("prefix=%C3%A9t%C3%A9%2Fa%20b%2Bc")).containsExactly(name);
	}

	@Test
	void recordsRequestsAndClearsToAsItStarted() throws Exception {
		upload("photos", "a.jpg", "x");
		get("/storage/v1/b/photos/o/missing.jpg");

		assertThat(this.server.requests()).extracting(Object::toString)
			.containsExactly("POST /upload/storage/v1/b/photos/o?uploadType=media&name=a.jpg -> 200",
					"GET /storage/v1/b/photos/o/missing.jpg -> 404");
		this.server.clear();
		assertThat(this.server.requests()).isEmpty();
		assertThat(this.server.objects("photos")).isEmpty();
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.objects("missing"));
	}

	@Test
	void listensOnLoopbackAndStopsListeningOnClose() {
		assertThat(this.server.host()).isEqualTo("http://127.0.0.1:" + this.server.port());
		assertThat(accepts(this.server.port())).isTrue();

		this.server.close();

		assertThat(accepts(this.server.port())).isFalse();
	}

	private List<String> listAll(String query) throws Exception {
		List<String> names = new ArrayList<>();
		String token = null;
		int pages = 0;
		do {
			JsonNode page = json.readTree(
					get("/storage/v1/b/photos/o?" + query + ((token != null) ? "&pageToken=" + token : "")).body());
			page.path("prefixes").forEach((prefix) -> names.add(prefix.asString()));
			page.path("items").forEach((item) -> names.add(item.path("name").asString()));
			token = page.has("nextPageToken") ? page.path("nextPageToken").asString() : null;
			pages++;
		}
		while (token != null && pages < 20);
		return names;
	}

	private JsonNode upload(String bucket, String name, String content) throws Exception {
		HttpResponse<String> answer = send(HttpRequest
			.newBuilder(uri("/upload/storage/v1/b/" + bucket + "/o?uploadType=media&name="
					+ URLEncoder.encode(name, StandardCharsets.UTF_8)))
			.POST(HttpRequest.BodyPublishers.ofString(content)));
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
		return json.readTree(answer.body());
	}

	private URI resumable(String bucket, String name) throws Exception {
		HttpResponse<String> started = send(
				HttpRequest.newBuilder(uri("/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&name=" + name))
					.POST(HttpRequest.BodyPublishers.noBody()));
		return URI.create(started.headers().firstValue("Location").orElseThrow());
	}

	private int resumableStatus(String bucket, String name, String conditions) throws Exception {
		return send(HttpRequest
			.newBuilder(
					uri("/upload/storage/v1/b/" + bucket + "/o?uploadType=resumable&name=" + name + "&" + conditions))
			.POST(HttpRequest.BodyPublishers.noBody())).statusCode();
	}

	private HttpResponse<String> put(URI session, String contentRange, String content) throws Exception {
		return send(HttpRequest.newBuilder(session)
			.header("Content-Range", contentRange)
			.PUT(HttpRequest.BodyPublishers.ofString(content)));
	}

	private HttpResponse<String> multipart(String bucket, String metadata, String content) throws Exception {
		return multipart(bucket, metadata, content, "");
	}

	private HttpResponse<String> multipart(String bucket, String metadata, String content, String conditions)
			throws Exception {
		return send(HttpRequest
			.newBuilder(uri("/upload/storage/v1/b/" + bucket + "/o?uploadType=multipart"
					+ (conditions.isEmpty() ? "" : "&" + conditions)))
			.header("Content-Type", "multipart/related; boundary=" + BOUNDARY)
			.POST(HttpRequest.BodyPublishers.ofByteArray(multipartBody(metadata, content))));
	}

	/** A body as the client's {@code MultipartContent} writes it. */
	private static byte[] multipartBody(String metadata, String content) {
		String body = "--" + BOUNDARY + "\r\nContent-Type: application/json; charset=UTF-8\r\n"
				+ "content-transfer-encoding: binary\r\n\r\n" + metadata + "\r\n--" + BOUNDARY + "\r\n"
				+ "content-transfer-encoding: binary\r\n\r\n" + content + "\r\n--" + BOUNDARY + "--\r\n";
		return body.getBytes(StandardCharsets.UTF_8);
	}

	private HttpResponse<String> get(String pathAndQuery) throws Exception {
		return send(HttpRequest.newBuilder(uri(pathAndQuery)));
	}

	private URI uri(String pathAndQuery) {
		return URI.create(this.server.host() + pathAndQuery);
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return client.send(request.timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
	}

	private static void assertError(HttpResponse<String> answer, int status, String reason) {
		assertThat(answer.statusCode()).as(answer.body()).isEqualTo(status);
		JsonNode error = json.readTree(answer.body()).path("error");
		assertThat(error.path("code").asInt()).isEqualTo(status);
		assertThat(error.path("message").asString()).isNotEmpty();
		assertThat(error.path("errors").get(0).path("reason").asString()).isEqualTo(reason);
	}

	private static Map.Entry<String, String> entry(String key, String value) {
		return Map.entry(key, value);
	}

	private static String crc32c(String text) {
		CRC32C crc = new CRC32C();
		crc.update(text.getBytes(StandardCharsets.UTF_8));
		return Base64.getEncoder().encodeToString(ByteBuffer.allocate(4).putInt((int) crc.getValue()).array());
	}

	private static boolean accepts(int port) {
		try (Socket socket = new Socket()) {
			socket.connect(new InetSocketAddress("127.0.0.1", port), 2000);
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

}
