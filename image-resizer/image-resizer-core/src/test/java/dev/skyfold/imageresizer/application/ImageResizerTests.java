package dev.skyfold.imageresizer.application;

import java.awt.image.BufferedImage;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.skyfold.imageresizer.TestImages.Decoder;
import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Encoding;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.domain.ResizeResult.Outcome;
import dev.skyfold.imageresizer.domain.ResizeSummary;
import dev.skyfold.imageresizer.domain.ResizeSummary.Entry;
import dev.skyfold.imageresizer.domain.ResizeSummary.Status;
import dev.skyfold.imageresizer.domain.WrittenObject;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStore.BlobPage;
import dev.skyfold.imageresizer.port.UnreadableKeys;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

import static dev.skyfold.imageresizer.TestImages.decode;
import static dev.skyfold.imageresizer.TestImages.fixture;
import static dev.skyfold.imageresizer.TestImages.sniffFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ImageResizer}, with the real local store and renderer: one object, and
 * the policy for a batch of records.
 */
class ImageResizerTests {

	private static final String BUCKET = "skyfold";

	private static final long MAX_BYTES = 50L * 1024 * 1024;

	private static final List<Rendition> DEFAULT_RENDITION = List.of(new Rendition("", new Box(200, 200)));

	private static final List<Rendition> TWO_RENDITIONS = List.of(new Rendition("", new Box(200, 200)),
			new Rendition("small", new Box(64, 64)));

	@TempDir
	Path root;

	private FileSystemBlobStore store;

	@BeforeEach
	void createStore() {
		this.store = new FileSystemBlobStore(this.root);
	}

	private ImageResizer resizer(BlobStore store, Decoder decoder, List<Rendition> renditions, long maxBytes) {
		return new ImageResizer(store, decoder.renderer(), new ImageResizer.Settings("resized/", renditions, maxBytes));
	}

	private ImageResizer resizer(Decoder decoder, List<Rendition> renditions, long maxBytes) {
		return resizer(this.store, decoder, renditions, maxBytes);
	}

	private ImageResizer resizer() {
		return resizer(Decoder.IMAGEIO, DEFAULT_RENDITION, MAX_BYTES);
	}

	private Optional<byte[]> content(String key) {
		return this.store.read(BUCKET, key, Blob.MAX_BYTES).map(Blob::content);
	}

	private ObjectCreated upload(String key, byte[] content, String contentType) {
		BlobInfo info = this.store.write(BUCKET, key, content, contentType);
		return new ObjectCreated(BUCKET, key, info.size(), contentType);
	}

	private List<String> keysUnderResized() {
		return this.store.list(BUCKET, "resized/").stream().map(BlobInfo::key).toList();
	}

	@ParameterizedTest
	@EnumSource
	void resizesPortraitPhotoWithinBounds(Decoder decoder) {
		ObjectCreated event = upload("uploads/tall.jpg", fixture("tall.jpg"), "image/jpeg");
		ResizeResult result = resizer(decoder, DEFAULT_RENDITION, MAX_BYTES).resize(event);
		assertThat(result.outcome()).isEqualTo(Outcome.RESIZED);
		assertThat(result.reason()).isNull();
		assertThat(result.bucket()).isEqualTo(BUCKET);
		assertThat(result.key()).isEqualTo("uploads/tall.jpg");
		assertThat(result.sourceWidth()).isEqualTo(300);
		assertThat(result.sourceHeight()).isEqualTo(900);
		assertThat(result.millis()).isNotNegative();
		WrittenObject written = result.written().get(0);
		assertThat(result.written()).hasSize(1);
		assertThat(written.key()).isEqualTo("resized/uploads/tall.jpg");
		assertThat(written.contentType()).isEqualTo("image/jpeg");
		assertThat(written.height()).isEqualTo(200);
		assertThat(written.width()).isBetween(66, 67);
		BlobInfo stored = this.store.stat(BUCKET, "resized/uploads/tall.jpg").orElseThrow();
		assertThat(stored.contentType()).isEqualTo("image/jpeg");
		assertThat(stored.size()).isEqualTo(written.size());
		byte[] thumbnail = content("resized/uploads/tall.jpg").orElseThrow();
		assertThat(sniffFormat(thumbnail)).isEqualTo("jpeg");
		BufferedImage image = decode(thumbnail);
		assertThat(image.getWidth()).isEqualTo(written.width()).isLessThanOrEqualTo(200);
		assertThat(image.getHeight()).isEqualTo(written.height()).isLessThanOrEqualTo(200);
		assertThat(keysUnderResized()).containsExactly("resized/uploads/tall.jpg");
		assertThat(content("uploads/tall.jpg")).hasValue(fixture("tall.jpg"));
	}

	@Test
	void resizesPngIntoPng() {
		ResizeResult result = resizer().resize(upload("uploads/wide.png", fixture("wide.png"), "image/png"));
		assertThat(result.written()).containsExactly(new WrittenObject("resized/uploads/wide.png", "image/png",
				this.store.stat(BUCKET, "resized/uploads/wide.png").orElseThrow().size(), 200, 50));
		assertThat(this.store.stat(BUCKET, "resized/uploads/wide.png")).map(BlobInfo::contentType)
			.hasValue("image/png");
		assertThat(sniffFormat(content("resized/uploads/wide.png").orElseThrow())).isEqualTo("png");
	}

	@ParameterizedTest
	@EnumSource
	void writesNamedRenditionsUnderTheirName(Decoder decoder) {
		ObjectCreated event = upload("uploads/tall.jpg", fixture("tall.jpg"), "image/jpeg");
		ResizeResult result = resizer(decoder, TWO_RENDITIONS, MAX_BYTES).resize(event);
		assertThat(result.written()).extracting(WrittenObject::key)
			.containsExactly("resized/uploads/tall.jpg", "resized/small/uploads/tall.jpg");
		assertThat(keysUnderResized()).containsExactly("resized/small/uploads/tall.jpg", "resized/uploads/tall.jpg");
		BufferedImage small = decode(content("resized/small/uploads/tall.jpg").orElseThrow());
		assertThat(new Box(small.getWidth(), small.getHeight())).isEqualTo(new Box(21, 64));
		assertThat(result.written().get(1).width()).isEqualTo(21);
		assertThat(result.written().get(1).height()).isEqualTo(64);
		assertThat(this.store.stat(BUCKET, "resized/small/uploads/tall.jpg")).map(BlobInfo::contentType)
			.hasValue("image/jpeg");
	}

	@Test
	void writesAWebpRenditionAsWebpAndSignsItWithItsEncoding() {
		List<Rendition> renditions = List.of(new Rendition("", new Box(200, 200)),
				new Rendition("small", new Box(64, 64), new Encoding(Encoding.Format.WEBP, 0.5f)));
		ObjectCreated event = upload("uploads/tall.jpg", fixture("tall.jpg"), "image/jpeg");
		ResizeResult result = resizer(Decoder.NATIVE, renditions, MAX_BYTES).resize(event);
		assertThat(result.written()).extracting(WrittenObject::key)
			.containsExactly("resized/uploads/tall.jpg", "resized/small/uploads/tall.jpg");
		assertThat(this.store.stat(BUCKET, "resized/uploads/tall.jpg")).map(BlobInfo::contentType)
			.hasValue("image/jpeg");
		BlobInfo small = this.store.stat(BUCKET, "resized/small/uploads/tall.jpg").orElseThrow();
		assertThat(small.contentType()).isEqualTo("image/webp");
		assertThat(small.metadata()).containsEntry(ImageResizer.RENDITION_METADATA, "64x64 webp q0.5");
		BufferedImage image = decode(content("resized/small/uploads/tall.jpg").orElseThrow());
		assertThat(new Box(image.getWidth(), image.getHeight())).isEqualTo(new Box(21, 64));
	}

	@Test
	void resizesEventWithoutOrWithGenericContentType() {
		upload("uploads/wide.png", fixture("wide.png"), "image/png");
		for (String contentType : Arrays.asList(null, "", "application/octet-stream", "binary/octet-stream",
				"IMAGE/PNG")) {
			ResizeResult result = resizer().resize(new ObjectCreated(BUCKET, "uploads/wide.png", null, contentType));
			assertThat(result.outcome()).as("content type %s", contentType).isEqualTo(Outcome.RESIZED);
		}
		assertThat(keysUnderResized()).containsExactly("resized/uploads/wide.png");
	}

	@Test
	void skipsKeysUnderOutputPrefix() {
		byte[] existing = fixture("tall.jpg");
		ObjectCreated event = upload("resized/uploads/tall.jpg", existing, "image/jpeg");
		ResizeResult result = resizer(Decoder.IMAGEIO, TWO_RENDITIONS, MAX_BYTES).resize(event);
		assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
		assertThat(result.reason()).contains("resized/");
		assertThat(result.written()).isEmpty();
		assertThat(result.sourceWidth()).isZero();
		assertThat(keysUnderResized()).containsExactly("resized/uploads/tall.jpg");
		assertThat(content("resized/uploads/tall.jpg")).hasValue(existing);
	}

	@Test
	void skipsObjectThatIsNotAnImageByContentType() {
		ObjectCreated event = upload("uploads/notes.txt", fixture("not-an-image.txt"), "text/plain");
		ResizeResult result = resizer().resize(event);
		assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
		assertThat(result.reason()).contains("not an image").contains("text/plain");
		assertThat(keysUnderResized()).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "not-an-image.txt", "random" })
	void skipsUnrecognisedBytesLabelledAsImage(String content) {
		byte[] bytes = content.equals("random") ? randomBytes(4096) : fixture(content);
		ObjectCreated event = upload("uploads/fake.png", bytes, "image/png");
		ResizeResult result = resizer().resize(event);
		assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
		assertThat(result.reason()).isEqualTo("not an image in a supported format");
		assertThat(keysUnderResized()).isEmpty();
	}

	@Test
	void skipsMissingObject() {
		ResizeResult result = resizer().resize(new ObjectCreated(BUCKET, "uploads/gone.jpg", 10L, "image/jpeg"));
		assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
		assertThat(result.reason()).isEqualTo("the object no longer exists");
		assertThat(result.key()).isEqualTo("uploads/gone.jpg");
		assertThat(this.store.list(BUCKET, "")).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void rejectsCorruptJpegAndWritesNothing(Decoder decoder) {
		for (String image : List.of("tall.jpg", "progressive.jpg")) {
			byte[] whole = fixture(image);
			ObjectCreated event = upload("uploads/" + image, Arrays.copyOf(whole, whole.length / 2), "image/jpeg");
			ImageResizer resizer = resizer(decoder, TWO_RENDITIONS, MAX_BYTES);
			assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> resizer.resize(event))
				.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
		}
		assertThat(keysUnderResized()).isEmpty();
	}

	@Test
	void rejectsObjectOverByteLimitAndWritesNothing() {
		byte[] image = fixture("tall.jpg");
		ObjectCreated event = upload("uploads/tall.jpg", image, "image/jpeg");
		ImageResizer resizer = resizer(Decoder.IMAGEIO, TWO_RENDITIONS, image.length - 1);
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> resizer.resize(event))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE));
		assertThat(keysUnderResized()).isEmpty();
		assertThat(resizer(Decoder.IMAGEIO, TWO_RENDITIONS, image.length).resize(event).outcome())
			.isEqualTo(Outcome.RESIZED);
	}

	@Test
	void removesWrittenRenditionsWhenALaterOneCannotBeWritten() {
		// An object at resized/small blocks the folder the small rendition goes into.
		this.store.write(BUCKET, "resized/small", bytes("blocker"), "text/plain");
		ObjectCreated event = upload("uploads/tall.jpg", fixture("tall.jpg"), "image/jpeg");
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> resizer(Decoder.IMAGEIO, TWO_RENDITIONS, MAX_BYTES).resize(event));
		assertThat(keysUnderResized()).containsExactly("resized/small");
	}

	@ParameterizedTest
	@EnumSource
	void rewritesByteIdenticalThumbnailsOnReplay(Decoder decoder) {
		ObjectCreated event = upload("uploads/photo.jpg", fixture("exif-orientation-6.jpg"), "image/jpeg");
		ImageResizer resizer = resizer(decoder, TWO_RENDITIONS, MAX_BYTES);
		ResizeResult first = resizer.resize(event);
		byte[] large = content("resized/uploads/photo.jpg").orElseThrow();
		byte[] small = content("resized/small/uploads/photo.jpg").orElseThrow();
		ResizeResult second = resizer.resize(event);
		assertThat(second.written()).isEqualTo(first.written());
		assertThat(content("resized/uploads/photo.jpg")).hasValue(large);
		assertThat(content("resized/small/uploads/photo.jpg")).hasValue(small);
		assertThat(keysUnderResized()).hasSize(2);
	}

	@ParameterizedTest
	@ValueSource(strings = { "uploads/été 2024/photo+1.jpg", "my photo.jpg", "a+b/c d/日本.jpeg" })
	void resizesKeysWithSpacesPlusAndUnicode(String key) {
		ResizeResult result = resizer().resize(upload(key, fixture("exif-orientation-1.jpg"), "image/jpeg"));
		assertThat(result.outcome()).isEqualTo(Outcome.RESIZED);
		assertThat(result.written()).extracting(WrittenObject::key).containsExactly("resized/" + key);
		assertThat(keysUnderResized()).containsExactly("resized/" + key);
		BufferedImage image = decode(content("resized/" + key).orElseThrow());
		assertThat(new Box(image.getWidth(), image.getHeight())).isEqualTo(new Box(120, 80));
	}

	@Test
	void writesEachThumbnailWithItsSourceKeyAsMetadata() {
		ObjectCreated event = upload("uploads/my photo+1.jpg", fixture("tall.jpg"), "image/jpeg");
		ResizeResult result = resizer(Decoder.IMAGEIO, TWO_RENDITIONS, MAX_BYTES).resize(event);
		assertThat(result.outcome()).isEqualTo(Outcome.RESIZED);
		for (String key : List.of("resized/uploads/my photo+1.jpg", "resized/small/uploads/my photo+1.jpg")) {
			assertThat(this.store.stat(BUCKET, key)).as(key)
				.map(BlobInfo::metadata)
				.hasValueSatisfying((metadata) -> assertThat(metadata).containsEntry(ImageResizer.SOURCE_KEY_METADATA,
						"uploads/my photo+1.jpg"));
		}
		assertThat(this.store.stat(BUCKET, "resized/small/uploads/my photo+1.jpg").orElseThrow().metadata())
			.as("what the thumbnail was made for")
			.containsEntry(ImageResizer.RENDITION_METADATA, "64x64");
	}

	@Test
	void readsTheObjectOnceWithTheByteLimitAndNeverStatsIt() {
		byte[] image = fixture("tall.jpg");
		ObjectCreated event = upload("uploads/tall.jpg", image, "image/jpeg");
		CountingStore counting = new CountingStore(this.store);
		resizer(counting, Decoder.IMAGEIO, TWO_RENDITIONS, image.length).resize(event);
		assertThat(counting.calls).containsExactly("read uploads/tall.jpg " + image.length,
				"write resized/uploads/tall.jpg", "write resized/small/uploads/tall.jpg");
	}

	@Test
	void resizesEveryCreatedRecordOfABatchAndReportsTheOthers() {
		upload("uploads/a.jpg", fixture("tall.jpg"), "image/jpeg");
		upload("uploads/broken.jpg", Arrays.copyOf(fixture("tall.jpg"), 100), "image/jpeg");
		ResizeSummary summary = resizer().resizeEach(List.of(created("uploads/a.jpg"), created("uploads/gone.jpg"),
				new ObjectEvent.Ignored(BUCKET, "uploads/old.jpg",
						"not an object-created event (ObjectRemoved:Delete)"),
				new ObjectEvent.Invalid(null, "uploads/100%.jpg", "the key is not URL-encoded"),
				created("uploads/broken.jpg")));
		assertThat(summary).isEqualTo(new ResizeSummary(1, 2, 2, 0, 0,
				List.of(new Entry(BUCKET, "uploads/a.jpg", Status.RESIZED, null, List.of("resized/uploads/a.jpg")),
						new Entry(BUCKET, "uploads/gone.jpg", Status.SKIPPED, "the object no longer exists", List.of()),
						new Entry(BUCKET, "uploads/old.jpg", Status.SKIPPED,
								"not an object-created event (ObjectRemoved:Delete)", List.of()),
						new Entry(null, "uploads/100%.jpg", Status.REJECTED, "the key is not URL-encoded", List.of()),
						new Entry(BUCKET, "uploads/broken.jpg", Status.REJECTED, summary.records().get(4).reason(),
								List.of()))));
		assertThat(summary.records().get(4).reason()).startsWith("Unsupported or corrupt image");
		assertThat(keysUnderResized()).containsExactly("resized/uploads/a.jpg");
	}

	@Test
	void failsABatchAfterItsLastRecordWhenStorageFailsSoThatThePlatformDeliversItAgain() {
		for (String key : List.of("uploads/a.jpg", "uploads/b.jpg", "uploads/c.jpg")) {
			upload(key, fixture("tall.jpg"), "image/jpeg");
		}
		BlobStore flaky = new UnreadableKeys(this.store, List.of("uploads/a.jpg", "uploads/c.jpg"));
		ImageResizer resizer = resizer(flaky, Decoder.IMAGEIO, DEFAULT_RENDITION, MAX_BYTES);
		List<ObjectEvent> batch = List.of(created("uploads/a.jpg"), created("uploads/b.jpg"), created("uploads/c.jpg"));
		assertThatExceptionOfType(ResizeFailedException.class).isThrownBy(() -> resizer.resizeEach(batch))
			.satisfies((ex) -> {
				assertThat(ex.getMessage())
					.startsWith("Could not resize 2 of 3 objects; failing the event so that it is delivered again: ")
					.contains("skyfold/uploads/a.jpg (java.io.UncheckedIOException: ")
					.contains("skyfold/uploads/c.jpg (java.io.UncheckedIOException: ")
					.doesNotContain("uploads/b.jpg");
				assertThat(ex.getCause()).isInstanceOf(UncheckedIOException.class)
					.hasMessageContaining("uploads/a.jpg");
				assertThat(ex.getSuppressed()).singleElement()
					.satisfies((suppressed) -> assertThat(suppressed).hasMessageContaining("uploads/c.jpg"));
				assertThat(ex.summary().records()).extracting(Entry::status)
					.containsExactly(Status.FAILED, Status.RESIZED, Status.FAILED);
			});
		assertThat(keysUnderResized()).containsExactly("resized/uploads/b.jpg");
	}

	@Test
	void answersAnEmptySummaryForAnEmptyBatch() {
		assertThat(resizer().resizeEach(List.of())).isEqualTo(new ResizeSummary(0, 0, 0, 0, 0, List.of()));
	}

	private static ObjectEvent created(String key) {
		return new ObjectEvent.Created(new ObjectCreated(BUCKET, key));
	}

	private static byte[] randomBytes(int length) {
		byte[] bytes = new byte[length];
		new Random(42).nextBytes(bytes);
		return bytes;
	}

	private static byte[] bytes(String text) {
		return text.getBytes(java.nio.charset.StandardCharsets.UTF_8);
	}

	/**
	 * A store that records the calls the resizer makes.
	 */
	private static final class CountingStore implements BlobStore {

		private final BlobStore store;

		private final List<String> calls = new ArrayList<>();

		CountingStore(BlobStore store) {
			this.store = store;
		}

		@Override
		public Optional<BlobInfo> stat(String bucket, String key) {
			this.calls.add("stat " + key);
			return this.store.stat(bucket, key);
		}

		@Override
		public Optional<Blob> read(String bucket, String key, long maxBytes) {
			this.calls.add("read " + key + " " + maxBytes);
			return this.store.read(bucket, key, maxBytes);
		}

		@Override
		public BlobInfo write(String bucket, String key, byte[] content, String contentType,
				Map<String, String> metadata) {
			this.calls.add("write " + key);
			return this.store.write(bucket, key, content, contentType, metadata);
		}

		@Override
		public void delete(String bucket, String key) {
			this.calls.add("delete " + key);
			this.store.delete(bucket, key);
		}

		@Override
		public BlobPage listPage(String bucket, String prefix, @Nullable String continuation, int limit) {
			this.calls.add("list " + prefix);
			return this.store.listPage(bucket, prefix, continuation, limit);
		}

	}

}
