package dev.skyfold.imageresizer.aws.lambda;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.domain.ResizeSummary;
import dev.skyfold.imageresizer.domain.ResizeSummary.Entry;
import dev.skyfold.imageresizer.domain.ResizeSummary.Status;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.UnreadableKeys;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.skyfold.imageresizer.aws.Samples.corruptJpeg;
import static dev.skyfold.imageresizer.aws.Samples.decode;
import static dev.skyfold.imageresizer.aws.Samples.event;
import static dev.skyfold.imageresizer.aws.Samples.jpeg;
import static dev.skyfold.imageresizer.aws.lambda.ObjectEventsTests.s3Record;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link ResizeImageEventFunction}, with the core's function, its local folder
 * store and its ImageIO renderer.
 */
class ResizeImageEventFunctionTests {

	private static final String BUCKET = "skyfold";

	@TempDir
	Path root;

	private FileSystemBlobStore store;

	@BeforeEach
	void createStore() {
		this.store = new FileSystemBlobStore(this.root);
	}

	private ResizeImageEventFunction function(BlobStore store) {
		ImageIoThumbnailRenderer renderer = new ImageIoThumbnailRenderer(
				new ImageIoThumbnailRenderer.Settings(50_000_000L, 10_000_000L, 0.8f, 1, true));
		return new ResizeImageEventFunction(new ImageResizer(store, renderer, new ImageResizer.Settings("resized/",
				List.of(new Rendition("", new Box(200, 200))), 10_000_000L))::resizeEach);
	}

	@Test
	void resizesTheObjectOfAnS3PutEventUnderItsDecodedKey() {
		this.store.write(BUCKET, "uploads/my photo+1.jpg", jpeg(800, 600), "image/jpeg");
		ResizeSummary summary = function(this.store).apply(event("s3-put.json"));
		assertThat(summary).isEqualTo(new ResizeSummary(1, 0, 0, 0, 0, List.of(new Entry(BUCKET,
				"uploads/my photo+1.jpg", Status.RESIZED, null, List.of("resized/uploads/my photo+1.jpg")))));
		byte[] thumbnail = this.store.read(BUCKET, "resized/uploads/my photo+1.jpg", Blob.MAX_BYTES)
			.map(Blob::content)
			.orElseThrow();
		assertThat(decode(thumbnail).getWidth()).isEqualTo(200);
		assertThat(decode(thumbnail).getHeight()).isEqualTo(150);
	}

	@Test
	void resizesEveryRecordAndRemovesTheThumbnailOfTheRemovedOne() {
		this.store.write(BUCKET, "uploads/été 2024/日本.jpg", jpeg(300, 900), "image/jpeg");
		this.store.write(BUCKET, "uploads/a+b c%d.png", jpeg(100, 100), "image/png");
		this.store.write(BUCKET, "resized/uploads/old photo.jpg", jpeg(20, 20), "image/jpeg");
		ResizeSummary summary = function(this.store).apply(event("s3-multiple-records.json"));
		assertThat(summary.resized()).isEqualTo(2);
		assertThat(summary.removed()).isEqualTo(1);
		assertThat(summary.records()).extracting(Entry::key, Entry::status)
			.containsExactly(tuple("uploads/été 2024/日本.jpg", Status.RESIZED),
					tuple("uploads/a+b c%d.png", Status.RESIZED), tuple("uploads/old photo.jpg", Status.REMOVED));
		assertThat(this.store.list(BUCKET, "resized/")).extracting(BlobInfo::key)
			.containsExactlyInAnyOrder("resized/uploads/été 2024/日本.jpg", "resized/uploads/a+b c%d.png");
	}

	@Test
	void resizesTheObjectOfAnEventBridgeEvent() {
		this.store.write(BUCKET, "uploads/my photo+1.jpg", jpeg(640, 480), "image/jpeg");
		ResizeSummary summary = function(this.store).apply(event("eventbridge-object-created.json"));
		assertThat(summary.resized()).isOne();
		assertThat(this.store.stat(BUCKET, "resized/uploads/my photo+1.jpg")).map(BlobInfo::contentType)
			.hasValue("image/jpeg");
	}

	@Test
	void reportsCorruptImageAsRejectedAndStillResizesTheOthers() {
		this.store.write(BUCKET, "uploads/broken.jpg", corruptJpeg(), "image/jpeg");
		this.store.write(BUCKET, "uploads/good.jpg", jpeg(400, 400), "image/jpeg");
		ResizeSummary summary = function(this.store).apply(bytes("{\"Records\":["
				+ s3Record(BUCKET, "uploads/broken.jpg") + "," + s3Record(BUCKET, "uploads/good.jpg") + "]}"));
		assertThat(summary.resized()).isOne();
		assertThat(summary.rejected()).isOne();
		assertThat(summary.failed()).isZero();
		Entry broken = summary.records().get(0);
		assertThat(broken.status()).isEqualTo(Status.REJECTED);
		assertThat(broken.reason()).isNotBlank();
		assertThat(broken.written()).isEmpty();
		assertThat(this.store.list(BUCKET, "resized/")).extracting(BlobInfo::key)
			.containsExactly("resized/uploads/good.jpg");
	}

	@Test
	void reportsUnreadableRecordAsRejectedAndStillResizesTheOthers() {
		this.store.write(BUCKET, "uploads/good.jpg", jpeg(400, 400), "image/jpeg");
		ResizeSummary summary = function(this.store).apply(bytes("{\"Records\":[" + s3Record(BUCKET, "uploads/100%.jpg")
				+ "," + s3Record(BUCKET, "uploads/good.jpg") + "]}"));
		assertThat(summary.records()).extracting(Entry::status).containsExactly(Status.REJECTED, Status.RESIZED);
		assertThat(summary.records().get(0).reason()).contains("not URL-encoded");
	}

	@Test
	void failsAfterTheLastRecordNamingTheKeysThatFailedForAnotherReason() {
		this.store.write(BUCKET, "uploads/a.jpg", jpeg(400, 400), "image/jpeg");
		this.store.write(BUCKET, "uploads/b.jpg", jpeg(400, 400), "image/jpeg");
		this.store.write(BUCKET, "uploads/c.jpg", jpeg(400, 400), "image/jpeg");
		BlobStore flaky = new UnreadableKeys(this.store, List.of("uploads/a.jpg", "uploads/c.jpg"));
		byte[] event = bytes("{\"Records\":[" + s3Record(BUCKET, "uploads/a.jpg") + ","
				+ s3Record(BUCKET, "uploads/b.jpg") + "," + s3Record(BUCKET, "uploads/c.jpg") + "]}");
		// The core's batch policy (ImageResizerTests has the details): Lambda retries.
		assertThatExceptionOfType(ResizeFailedException.class).isThrownBy(() -> function(flaky).apply(event))
			.satisfies((ex) -> assertThat(ex.summary().records()).extracting(Entry::key, Entry::status)
				.containsExactly(tuple("uploads/a.jpg", Status.FAILED), tuple("uploads/b.jpg", Status.RESIZED),
						tuple("uploads/c.jpg", Status.FAILED)));
		assertThat(this.store.list(BUCKET, "resized/")).extracting(BlobInfo::key)
			.containsExactly("resized/uploads/b.jpg");
	}

	@Test
	void rejectsEventOfAnotherShapeAsAWhole() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> function(this.store).apply(bytes("{\"hello\":\"world\"}")))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

	@Test
	void answersAnEmptySummaryForAnEventWithoutRecords() {
		assertThat(function(this.store).apply(bytes("{\"Records\":[]}")))
			.isEqualTo(new ResizeSummary(0, 0, 0, 0, 0, List.of()));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
