package dev.skyfold.local;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.assertProblemBody;
import static dev.skyfold.local.LocalApi.contentType;
import static dev.skyfold.local.LocalApi.json;
import static dev.skyfold.local.LocalApi.text;
import static dev.skyfold.local.TestImages.decode;
import static dev.skyfold.local.TestImages.fixture;
import static dev.skyfold.local.TestImages.pixel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The local app as its users reach it: a real server on a loopback port, called over
 * HTTP, with the bucket in a temporary folder and small limits (2 MB and 8 MP per image,
 * 3 MB per object).
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "server.address=127.0.0.1", "skyfold.image-resizer.max-pixels=8000000",
				"skyfold.image-resizer.max-size=2MB", "skyfold.local.max-body-size=3MB" })
class LocalAppIntegrationTests {

	private static final String DEFINITION = "spring.cloud.function.definition";

	private static final Path WORK = createWorkFolder();

	private static final Path STORAGE = WORK.resolve("storage");

	/** A 3000x2000 photo: 6 MP, under the 8 MP limit, a few hundred KB. */
	private static final byte[] PHOTO = TestImages.photoJpeg(3000, 2000);

	@LocalServerPort
	private int port;

	private LocalApi api;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", STORAGE::toString);
	}

	@AfterAll
	static void deleteStorage() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@BeforeEach
	void connect() {
		this.api = new LocalApi(this.port);
	}

	@Test
	void uploadsPhotoAndServesItsThumbnail() {
		String key = "photos/2024/beach.jpg";
		HttpResponse<byte[]> upload = this.api.put(key, PHOTO, "image/jpeg");

		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		assertThat(contentType(upload)).startsWith("application/json");
		JsonNode body = json(upload);
		assertThat(body.path("bucket").asString()).isEqualTo("skyfold");
		assertThat(body.path("object").path("key").asString()).isEqualTo(key);
		assertThat(body.path("object").path("size").asLong()).isEqualTo(PHOTO.length);
		assertThat(body.path("object").path("contentType").asString()).isEqualTo("image/jpeg");
		JsonNode notification = body.path("notification");
		assertThat(notification.path("function").asString()).isEqualTo("resizeImage");
		assertThat(absent(notification.path("problem"))).as(text(upload)).isTrue();
		JsonNode result = notification.path("result");
		assertThat(result.path("outcome").asString()).as(text(upload)).isEqualTo("RESIZED");
		assertThat(absent(result.path("reason"))).isTrue();
		assertThat(result.path("millis").asLong(-1)).isNotNegative();
		assertThat(result.path("written").size()).isEqualTo(1);
		JsonNode written = result.path("written").get(0);
		assertThat(written.path("key").asString()).isEqualTo("resized/" + key);
		assertThat(written.path("contentType").asString()).isEqualTo("image/jpeg");
		assertThat(written.path("width").asInt()).isEqualTo(200);
		assertThat(written.path("height").asInt()).isCloseTo(133, within(1));

		HttpResponse<byte[]> thumbnail = this.api.get("resized/" + key);
		assertThat(thumbnail.statusCode()).as(text(thumbnail)).isEqualTo(200);
		assertThat(contentType(thumbnail)).isEqualTo("image/jpeg");
		assertThat((long) thumbnail.body().length).isEqualTo(written.path("size").asLong());
		BufferedImage image = decode(thumbnail.body());
		assertThat(image.getWidth()).isEqualTo(200);
		assertThat(image.getHeight()).isCloseTo(133, within(1));
		assertThat((double) image.getWidth() / image.getHeight()).isCloseTo(1.5, within(0.02));
		assertColour(pixel(image, 50, 66), TestImages.PHOTO_LEFT, 60);
		assertColour(pixel(image, 150, 66), TestImages.PHOTO_RIGHT, 60);

		HttpResponse<byte[]> original = this.api.get(key);
		assertThat(original.statusCode()).isEqualTo(200);
		assertThat(original.body()).isEqualTo(PHOTO);
	}

	@Test
	void removesAnObjectsThumbnailsWithItAndOnlyThose() {
		assertThat(this.api.put("deleted/photo.jpg", PHOTO, "image/jpeg").statusCode()).isEqualTo(201);
		assertThat(this.api.put("deleted/photo.jpg.kept", PHOTO, "image/jpeg").statusCode()).isEqualTo(201);
		assertThat(this.api.get("resized/deleted/photo.jpg").statusCode()).isEqualTo(200);

		assertThat(delete("deleted/photo.jpg")).isEqualTo(204);

		assertThat(this.api.get("deleted/photo.jpg").statusCode()).isEqualTo(404);
		assertThat(this.api.get("resized/deleted/photo.jpg").statusCode()).as("its thumbnail").isEqualTo(404);
		assertThat(this.api.get("resized/deleted/photo.jpg.kept").statusCode()).as("another's").isEqualTo(200);
		assertThat(delete("deleted/photo.jpg")).as("deleted again").isEqualTo(404);
		// A thumbnail removed by itself takes nothing else with it.
		assertThat(delete("resized/deleted/photo.jpg.kept")).isEqualTo(204);
		assertThat(this.api.get("deleted/photo.jpg.kept").statusCode()).isEqualTo(200);
	}

	private int delete(String key) {
		return this.api.send(this.api.request(LocalApi.objectPath(key)).DELETE()).statusCode();
	}

	@Test
	void turnsUploadedPhotoUprightByItsExifOrientation() {
		String key = "photos/phone/rotated.jpg";
		HttpResponse<byte[]> upload = this.api.put(key, fixture("exif-orientation-6.jpg"), "image/jpeg");

		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		HttpResponse<byte[]> thumbnail = this.api.get("resized/" + key);
		assertThat(thumbnail.statusCode()).as(text(thumbnail)).isEqualTo(200);
		BufferedImage image = decode(thumbnail.body());
		assertThat(image.getWidth()).as("upright width, never upscaled").isEqualTo(120);
		assertThat(image.getHeight()).as("upright height, never upscaled").isEqualTo(80);
		assertColour(pixel(image, 30, 20), Color.RED, 60);
		assertColour(pixel(image, 90, 60), Color.WHITE, 60);
	}

	@ParameterizedTest
	@ValueSource(strings = { "keys/summer holiday/beach day.png", "keys/a+b/c+d=e.png", "keys/café/crème brûlée.png",
			"keys/deeply/nested/folders/of/albums/x.png", "keys/semi;colon.png", "keys/100% real #1?.png" })
	void roundTripsKeysWithSpacesPlusSignsUnicodeAndFolders(String key) {
		byte[] png = fixture("alpha.png");
		HttpResponse<byte[]> upload = this.api.put(key, png, "image/png");

		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		JsonNode body = json(upload);
		assertThat(body.path("object").path("key").asString()).isEqualTo(key);
		assertThat(body.path("notification").path("result").path("written").path(0).path("key").asString())
			.as(text(upload))
			.isEqualTo("resized/" + key);

		HttpResponse<byte[]> original = this.api.get(key);
		assertThat(original.statusCode()).as(text(original)).isEqualTo(200);
		assertThat(contentType(original)).isEqualTo("image/png");
		assertThat(original.body()).isEqualTo(png);
		HttpResponse<byte[]> thumbnail = this.api.get("resized/" + key);
		assertThat(thumbnail.statusCode()).as(text(thumbnail)).isEqualTo(200);
		BufferedImage image = decode(thumbnail.body());
		assertThat(image.getWidth()).isEqualTo(120);
		assertThat(image.getHeight()).isEqualTo(80);
		assertThat(this.api.keysUnder(key)).containsExactly(key);
		assertThat(this.api.keysUnder("resized/" + key)).containsExactly("resized/" + key);
	}

	@ParameterizedTest
	@CsvSource({ "alpha.png, image/png, 120, 80", "wide.png, image/png, 200, 50", "tall.jpg, image/jpeg, 67, 200",
			"exif-orientation-6.jpg, image/jpeg, 120, 80" })
	void thumbnailFunctionAnswersWithImageBytesTheirTypeAndSize(String fixture, String type, int width, int height) {
		HttpResponse<byte[]> response = this.api.post("thumbnail", fixture(fixture), type);

		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		assertThat(contentType(response)).isEqualTo(type);
		int servedWidth = Integer.parseInt(response.headers().firstValue("Image-Width").orElse("-1"));
		int servedHeight = Integer.parseInt(response.headers().firstValue("Image-Height").orElse("-1"));
		assertThat(servedWidth).isCloseTo(width, within(1));
		assertThat(servedHeight).isCloseTo(height, within(1));
		BufferedImage image = decode(response.body());
		assertThat(image.getWidth()).isEqualTo(servedWidth);
		assertThat(image.getHeight()).isEqualTo(servedHeight);
	}

	@Test
	void thumbnailFunctionShrinksPhotoToFitTheBox() {
		HttpResponse<byte[]> response = this.api.post("thumbnail", PHOTO, "image/jpeg");

		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		assertThat(contentType(response)).isEqualTo("image/jpeg");
		assertThat(response.headers().firstValue("Image-Width")).hasValue("200");
		BufferedImage image = decode(response.body());
		assertThat(image.getWidth()).isEqualTo(200);
		assertThat(image.getHeight()).isCloseTo(133, within(1));
		assertThat(response.headers().firstValue("Image-Height")).hasValue(String.valueOf(image.getHeight()));
		assertColour(pixel(image, 50, 66), TestImages.PHOTO_LEFT, 60);
	}

	@Test
	void resizeImageFunctionResizesAnObjectAlreadyInTheBucket() {
		String key = "inbox/scan.png";
		HttpResponse<byte[]> upload = this.api.put(key, fixture("alpha.png"), "application/x-scan");
		assertThat(json(upload).path("notification").path("result").path("outcome").asString()).as(text(upload))
			.isEqualTo("SKIPPED");
		assertThat(this.api.keysUnder("resized/inbox/")).isEmpty();

		HttpResponse<byte[]> response = this.api.postJson("resizeImage",
				"{\"bucket\":\"skyfold\",\"key\":\"" + key + "\"}");

		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		assertThat(contentType(response)).startsWith("application/json");
		JsonNode result = json(response);
		assertThat(result.path("bucket").asString()).isEqualTo("skyfold");
		assertThat(result.path("key").asString()).isEqualTo(key);
		assertThat(result.path("outcome").asString()).isEqualTo("RESIZED");
		assertThat(absent(result.path("reason"))).isTrue();
		assertThat(result.path("millis").asLong(-1)).isNotNegative();
		assertThat(result.path("written").size()).isEqualTo(1);
		JsonNode written = result.path("written").get(0);
		assertThat(written.path("key").asString()).isEqualTo("resized/" + key);
		assertThat(written.path("contentType").asString()).isEqualTo("image/png");
		assertThat(written.path("width").asInt()).isEqualTo(120);
		assertThat(written.path("height").asInt()).isEqualTo(80);
		HttpResponse<byte[]> thumbnail = this.api.get("resized/" + key);
		assertThat(thumbnail.statusCode()).isEqualTo(200);
		assertThat((long) thumbnail.body().length).isEqualTo(written.path("size").asLong()).isPositive();
		assertThat(decode(thumbnail.body()).getWidth()).isEqualTo(120);
	}

	@Test
	void skipsUploadsUnderTheThumbnailPrefix() {
		HttpResponse<byte[]> upload = this.api.put("resized/by-hand/alpha.png", fixture("alpha.png"), "image/png");

		assertSkipped(upload, "resized/");
		assertThat(this.api.keysUnder("resized/resized/")).isEmpty();
	}

	@ParameterizedTest
	@CsvSource({ "uploads/page.html, text/html", "uploads/drawing.svg, image/svg+xml",
			"notes/script.js, text/javascript", "uploads/data.bin, application/octet-stream" })
	void servesAnObjectThatCouldRunAsAnAttachmentThatRunsNothing(String key, String type) {
		byte[] page = "<html><script>document.title='owned'</script><svg onload=alert(1)></svg></html>"
			.getBytes(StandardCharsets.UTF_8);
		assertThat(this.api.put(key, page, type).statusCode()).isEqualTo(201);

		HttpResponse<byte[]> served = this.api.get(key);

		assertThat(served.statusCode()).isEqualTo(200);
		assertThat(served.body()).isEqualTo(page);
		assertThat(served.headers().firstValue("Content-Disposition"))
			.hasValueSatisfying((disposition) -> assertThat(disposition).startsWith("attachment"));
		assertThat(served.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
		assertThat(served.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((policy) -> assertThat(policy).contains("sandbox").contains("default-src 'none'"));
	}

	@Test
	void servesAPlainImageInlineButSandboxed() {
		assertThat(this.api.put("inline/photo.png", fixture("alpha.png"), "image/png").statusCode()).isEqualTo(201);

		HttpResponse<byte[]> served = this.api.get("inline/photo.png");

		assertThat(served.headers().firstValue("Content-Disposition")).isEmpty();
		assertThat(served.headers().firstValue("Content-Security-Policy"))
			.hasValueSatisfying((policy) -> assertThat(policy).contains("sandbox"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "text/plain; x=json", "text/plain", "application/x-www-form-urlencoded; json",
			"multipart/form-data; boundary=json" })
	void takesJsonOnlyAsJsonSoThatNoPageCanPostItCrossSite(String type) {
		String body = "{\"bucket\":\"skyfold\",\"key\":\"uploads/nothing.png\"}";

		assertProblem(this.api.post("resizeImage", body.getBytes(StandardCharsets.UTF_8), type), 415);
		assertThat(this.api.post("resizeImage", body.getBytes(StandardCharsets.UTF_8), "application/vnd.api+json")
			.statusCode()).as("a +json type is JSON").isEqualTo(200);
	}

	@Test
	void echoesNoRequestHeaderInAFunctionsAnswer() {
		HttpResponse<byte[]> answer = this.api.send(this.api.request("/fn/resizeImage")
			.header("Content-Type", "application/json")
			.header("Refresh", "0; url=https://attacker.invalid/")
			.header("X-Anything", "echoed")
			.POST(BodyPublishers.ofString("{\"bucket\":\"skyfold\",\"key\":\"uploads/nothing.png\"}")));
		HttpResponse<byte[]> thumbnail = this.api.send(this.api.request("/fn/thumbnail")
			.header("Content-Type", "image/png")
			.header("X-Anything", "echoed")
			.POST(BodyPublishers.ofByteArray(fixture("alpha.png"))));

		for (HttpResponse<byte[]> response : List.of(answer, thumbnail)) {
			assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
			assertThat(response.headers().map().keySet()).as("headers of %s", response.uri())
				.noneMatch((name) -> name.equalsIgnoreCase("Refresh") || name.equalsIgnoreCase("X-Anything"));
		}
		assertThat(thumbnail.headers().firstValue("Image-Width")).isPresent();
	}

	@Test
	void skipsTextUploads() {
		byte[] text = "buy milk\n".getBytes(StandardCharsets.UTF_8);
		HttpResponse<byte[]> upload = this.api.put("notes/todo.txt", text, "text/plain");

		assertSkipped(upload, "not an image");
		assertThat(this.api.keysUnder("resized/notes/")).isEmpty();
		HttpResponse<byte[]> stored = this.api.get("notes/todo.txt");
		assertThat(contentType(stored)).startsWith("text/plain");
		assertThat(stored.body()).isEqualTo(text);
	}

	@Test
	void skipsUploadThatOnlyClaimsToBeAnImage() {
		HttpResponse<byte[]> upload = this.api.put("fake/photo.png", fixture("not-an-image.txt"), "image/png");

		assertSkipped(upload, "not an image");
		assertThat(this.api.keysUnder("resized/fake/")).isEmpty();
	}

	@Test
	void rejectsTruncatedJpegWithProblemJson() {
		HttpResponse<byte[]> response = this.api.post("thumbnail", TestImages.truncated(PHOTO), "image/jpeg");

		assertProblem(response, 400);
	}

	@Test
	void reportsTruncatedJpegUploadAsProblemAndWritesNoThumbnail() {
		HttpResponse<byte[]> upload = this.api.put("broken/half.jpg", TestImages.truncated(PHOTO), "image/jpeg");

		assertNotificationProblem(upload, 400);
		assertThat(this.api.keysUnder("resized/broken/")).isEmpty();
		assertProblem(this.api.get("resized/broken/half.jpg"), 404);
	}

	@Test
	void rejectsMalformedJsonWithProblemJson() {
		HttpResponse<byte[]> response = this.api.postJson("resizeImage", "{\"bucket\":\"skyfold\",");

		JsonNode problem = assertProblem(response, 400);
		assertThat(problem.path("detail").asString()).startsWith("Malformed JSON");
	}

	@Test
	void rejectsKeyThatLeavesTheBucket() throws IOException {
		String escape = "/objects/escape/%2E%2E/%2E%2E/escape.png";

		assertProblem(this.api.putRaw(escape, fixture("alpha.png"), "image/png"), 400);
		assertProblem(this.api.getRaw(escape), 400);
		assertProblem(this.api.postJson("resizeImage", "{\"bucket\":\"skyfold\",\"key\":\"../../escape.png\"}"), 400);
		try (Stream<Path> files = Files.walk(WORK)) {
			assertThat(files.map(Path::getFileName).map(Path::toString)).doesNotContain("escape.png");
		}
	}

	@Test
	void rejectsImageOverByteLimitWithProblemJson() {
		byte[] padded = Arrays.copyOf(PHOTO, 5 * 512 * 1024);

		JsonNode problem = assertProblem(this.api.post("thumbnail", padded, "image/jpeg"), 413);
		assertThat(problem.path("detail").asString()).contains(String.valueOf(padded.length));
		assertNotificationProblem(this.api.put("big/padded.jpg", padded, "image/jpeg"), 413);
		assertThat(this.api.keysUnder("resized/big/")).isEmpty();
	}

	@Test
	void rejectsImageOverPixelLimitWithProblemJson() {
		byte[] huge = TestImages.pngClaimingSize(20_000, 20_000);

		JsonNode problem = assertProblem(this.api.post("thumbnail", huge, "image/png"), 413);
		assertThat(problem.path("detail").asString()).contains("20000x20000");
		assertNotificationProblem(this.api.put("huge/claims.png", huge, "image/png"), 413);
		assertThat(this.api.keysUnder("resized/huge/")).isEmpty();
	}

	@Test
	void rejectsObjectOverBucketLimitWithProblemJson() {
		byte[] tooBig = new byte[4 * 1024 * 1024];

		assertProblem(this.api.put("big/blob.bin", tooBig, "application/octet-stream"), 413);
		assertProblem(this.api.get("big/blob.bin"), 404);
	}

	@Test
	void rejectsNonImageWithUnsupportedMediaType() {
		HttpResponse<byte[]> response = this.api.post("thumbnail", fixture("not-an-image.txt"), "image/png");

		assertProblem(response, 415);
	}

	@Test
	void answersMissingObjectWithNotFoundProblem() {
		JsonNode problem = assertProblem(this.api.get("missing/nothing here.png"), 404);

		assertThat(problem.path("detail").asString()).contains("missing/nothing here.png");
	}

	@Test
	void answersUnsupportedMethodWithProblemJson() {
		assertProblem(this.api.send(this.api.request("/objects/anything.png").method("PATCH", BodyPublishers.noBody())),
				405);
	}

	@Test
	void staysHealthyAfterEveryKindOfError() {
		assertThat(this.api.health()).isEqualTo("UP");
		for (int i = 0; i < 3; i++) {
			assertProblem(this.api.post("thumbnail", TestImages.truncated(PHOTO), "image/jpeg"), 400);
			assertProblem(this.api.post("thumbnail", new byte[3 * 1024 * 1024], "image/jpeg"), 413);
			assertProblem(this.api.post("thumbnail", TestImages.pngClaimingSize(50_000, 50_000), "image/png"), 413);
			assertProblem(this.api.post("thumbnail", fixture("not-an-image.txt"), "image/png"), 415);
			assertProblem(this.api.postJson("resizeImage", "{"), 400);
			assertProblem(this.api.getRaw("/objects/%2E%2E/x.png"), 400);
			assertProblem(this.api.get("missing.png"), 404);
		}

		assertThat(this.api.health()).isEqualTo("UP");
		assertThat(this.api.post("thumbnail", fixture("alpha.png"), "image/png").statusCode()).isEqualTo(200);
	}

	@Test
	void listsObjectsByPrefix() {
		for (String key : List.of("albums/2023/b.txt", "albums/2023/a.txt", "albums/2024/c.txt", "albums-old/d.txt")) {
			assertThat(this.api.put(key, key.getBytes(StandardCharsets.UTF_8), "text/plain").statusCode())
				.isEqualTo(201);
		}

		JsonNode listing = this.api.list("albums/2023/");

		assertThat(listing.path("bucket").asString()).isEqualTo("skyfold");
		assertThat(listing.path("prefix").asString()).isEqualTo("albums/2023/");
		assertThat(listing.path("objects").size()).isEqualTo(2);
		JsonNode first = listing.path("objects").get(0);
		assertThat(first.path("key").asString()).isEqualTo("albums/2023/a.txt");
		assertThat(first.path("size").asLong()).isEqualTo("albums/2023/a.txt".length());
		assertThat(first.path("contentType").asString()).isEqualTo("text/plain");
		assertThat(first.path("lastModified").asString()).isNotBlank();
		assertThat(listing.path("objects").get(1).path("key").asString()).isEqualTo("albums/2023/b.txt");
		assertThat(this.api.keysUnder("albums/")).containsExactly("albums/2023/a.txt", "albums/2023/b.txt",
				"albums/2024/c.txt");
		assertThat(this.api.keysUnder("albums/2025/")).isEmpty();
	}

	@Test
	void countsThumbnailInvocationsAndTagsTheFailedOnes() {
		long before = this.api.functionInvocations(DEFINITION + ":thumbnail");
		long failedBefore = before - this.api.functionInvocations(DEFINITION + ":thumbnail", "error:none");

		assertThat(this.api.post("thumbnail", fixture("alpha.png"), "image/png").statusCode()).isEqualTo(200);
		assertProblem(this.api.post("thumbnail", fixture("not-an-image.txt"), "image/png"), 415);

		long after = this.api.functionInvocations(DEFINITION + ":thumbnail");
		long failedAfter = after - this.api.functionInvocations(DEFINITION + ":thumbnail", "error:none");
		assertThat(after).isEqualTo(before + 2);
		assertThat(failedAfter).isEqualTo(failedBefore + 1);
		assertThat(this.api.functionInvocations()).isPositive();
		assertThat(this.api.functionTagValues(DEFINITION)).contains("thumbnail");
		assertThat(this.api.functionTagValues("error")).anyMatch((value) -> !value.equals("none"));
	}

	@Test
	void countsResizeImageInvocationsOverHttp() {
		// As in real use, an upload has already notified resizeImage.
		assertThat(this.api.put("metrics/first.png", fixture("alpha.png"), "image/png").statusCode()).isEqualTo(201);
		long before = this.api.functionInvocations(DEFINITION + ":resizeImage");

		HttpResponse<byte[]> response = this.api.postJson("resizeImage",
				"{\"bucket\":\"skyfold\",\"key\":\"metrics/first.png\"}");
		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		assertThat(this.api.post("thumbnail", fixture("alpha.png"), "image/png").statusCode()).isEqualTo(200);

		assertThat(this.api.functionInvocations(DEFINITION + ":resizeImage"))
			.as("BUG: POST /fn/resizeImage is not counted by the spring.cloud.function timer once an upload "
					+ "has notified resizeImage (ObjectController invokes it with a plain ObjectCreated, "
					+ "not a Message, which leaves SCF's FunctionInvocationWrapper marked as wrapped for good)")
			.isEqualTo(before + 1);
		assertThat(this.api.functionTagValues(DEFINITION)).contains("thumbnail", "resizeImage");
	}

	@Test
	void countsResizeImageRunsTriggeredByUploads() {
		long before = this.api.functionInvocations(DEFINITION + ":resizeImage");

		assertThat(this.api.put("metrics/second.png", fixture("alpha.png"), "image/png").statusCode()).isEqualTo(201);

		assertThat(this.api.functionInvocations(DEFINITION + ":resizeImage"))
			.as("BUG: the resizeImage run an upload triggers is not observed (ObjectController applies the "
					+ "function to a plain ObjectCreated; SCF only observes Message input)")
			.isEqualTo(before + 1);
	}

	@Test
	void servesObjectWhoseUploadCarriedAnUnparseableContentType() {
		HttpResponse<byte[]> upload = this.api.put("odd/type.bin", new byte[] { 1, 2, 3 }, "foo");
		if (upload.statusCode() != 201) {
			// Refusing the upload is as good as serving it later.
			assertProblem(upload, upload.statusCode());
			assertThat(upload.statusCode()).isBetween(400, 499);
			return;
		}

		HttpResponse<byte[]> served = this.api.get("odd/type.bin");

		assertThat(served.statusCode())
			.as("BUG: PUT with Content-Type 'foo' is stored (201) but GET then fails with %s: %s", served.statusCode(),
					text(served))
			.isEqualTo(200);
		assertThat(served.body()).containsExactly(1, 2, 3);
	}

	@Test
	void answersNonJsonBodyToResizeImageWithClientError() {
		HttpResponse<byte[]> text = this.api.post("resizeImage", "hello".getBytes(StandardCharsets.UTF_8),
				"text/plain");
		HttpResponse<byte[]> image = this.api.post("resizeImage", fixture("alpha.png"), "image/png");

		assertThat(List.of(text.statusCode(), image.statusCode()))
			.as("BUG: a body that is not JSON, sent as text/plain or image/png to /fn/resizeImage, is a client "
					+ "error but answers %s and %s", text(text), text(image))
			.allSatisfy((status) -> assertThat(status).isBetween(400, 499));
		assertProblem(text, text.statusCode());
		assertProblem(image, image.statusCode());
	}

	@Test
	void keepsUnencodedSemicolonInKey() {
		HttpResponse<byte[]> upload = this.api.putRaw("/objects/semicolons/raw;part.txt",
				"x".getBytes(StandardCharsets.UTF_8), "text/plain");

		if (upload.statusCode() != 201) {
			// Refusing the key is as good as storing it whole.
			assertProblem(upload, 400);
			return;
		}
		assertThat(json(upload).path("object").path("key").asString())
			.as("BUG: PUT /objects/semicolons/raw;part.txt silently stores a different key, which may "
					+ "overwrite another object")
			.isEqualTo("semicolons/raw;part.txt");
	}

	private static void assertSkipped(HttpResponse<byte[]> upload, String reason) {
		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		JsonNode notification = json(upload).path("notification");
		assertThat(absent(notification.path("problem"))).as(text(upload)).isTrue();
		JsonNode result = notification.path("result");
		assertThat(result.path("outcome").asString()).as(text(upload)).isEqualTo("SKIPPED");
		assertThat(result.path("reason").asString("")).contains(reason);
		assertThat(result.path("written").isArray()).isTrue();
		assertThat(result.path("written").size()).isZero();
	}

	private static void assertNotificationProblem(HttpResponse<byte[]> upload, int status) {
		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		JsonNode notification = json(upload).path("notification");
		assertThat(notification.path("function").asString()).isEqualTo("resizeImage");
		assertThat(absent(notification.path("result"))).as(text(upload)).isTrue();
		assertProblemBody(notification.path("problem"), status, "the notification of " + text(upload));
	}

	/** Whether a JSON property is null or left out, which mean the same. */
	private static boolean absent(JsonNode node) {
		return node.isNull() || node.isMissingNode();
	}

	private static void assertColour(Color actual, Color expected, int tolerance) {
		assertThat(new int[] { actual.getRed(), actual.getGreen(), actual.getBlue() })
			.as("colour %s, expected about %s", actual, expected)
			.satisfies((rgb) -> {
				assertThat(rgb[0]).isCloseTo(expected.getRed(), within(tolerance));
				assertThat(rgb[1]).isCloseTo(expected.getGreen(), within(tolerance));
				assertThat(rgb[2]).isCloseTo(expected.getBlue(), within(tolerance));
			});
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-local-it-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
