package dev.skyfold.imageresizer.application;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ReconcileReport;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.Deadline;
import dev.skyfold.kernel.RejectedInputException;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.skyfold.imageresizer.TestImages.Decoder.IMAGEIO;
import static dev.skyfold.imageresizer.TestImages.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ThumbnailReconciler}, with the real local store and renderer.
 */
class ThumbnailReconcilerTests {

	private static final String BUCKET = "skyfold";

	private static final List<Rendition> RENDITIONS = List.of(new Rendition("", new Box(200, 200)),
			new Rendition("small", new Box(64, 64)));

	@TempDir
	Path root;

	private FileSystemBlobStore store;

	@BeforeEach
	void createStore() {
		this.store = new FileSystemBlobStore(this.root);
	}

	private ImageResizer resizer(List<Rendition> renditions) {
		return new ImageResizer(this.store, IMAGEIO.renderer(),
				new ImageResizer.Settings("resized/", renditions, 50L * 1024 * 1024));
	}

	private void upload(String key) {
		this.store.write(BUCKET, key, fixture("tall.jpg"), "image/jpeg");
	}

	private List<String> thumbnails() {
		return this.store.list(BUCKET, "resized/").stream().map(BlobInfo::key).toList();
	}

	@Test
	void rendersWhatIsMissingOrStaleRemovesOrphansAndThenHasNothingToDo() {
		ImageResizer old = resizer(
				List.of(new Rendition("", new Box(100, 100)), new Rendition("gone", new Box(50, 50))));
		upload("uploads/stale.jpg");
		old.resize(new ObjectCreated(BUCKET, "uploads/stale.jpg"));
		upload("uploads/missing.jpg");
		upload("uploads/removed.jpg");
		ImageResizer resizer = resizer(RENDITIONS);
		resizer.resize(new ObjectCreated(BUCKET, "uploads/removed.jpg"));
		this.store.delete(BUCKET, "uploads/removed.jpg");
		upload("uploads/done.jpg");
		resizer.resize(new ObjectCreated(BUCKET, "uploads/done.jpg"));
		this.store.write(BUCKET, "notes.txt", "no picture".getBytes(StandardCharsets.UTF_8), "text/plain");
		List<ReconcileReport> progress = new ArrayList<>();

		ReconcileReport first = reconciler(resizer, Duration.ZERO).reconcile(BUCKET, null, Deadline.none(),
				progress::add);

		assertThat(first.complete()).isTrue();
		assertThat(first.rendered()).as("missing and stale").isEqualTo(2);
		// removed.jpg's two, and stale.jpg's rendition that is no longer configured.
		assertThat(first.removed()).isEqualTo(3);
		assertThat(first.failed()).isZero();
		assertThat(thumbnails()).containsExactlyInAnyOrder("resized/uploads/done.jpg", "resized/small/uploads/done.jpg",
				"resized/uploads/missing.jpg", "resized/small/uploads/missing.jpg", "resized/uploads/stale.jpg",
				"resized/small/uploads/stale.jpg");
		assertThat(this.store.stat(BUCKET, "resized/uploads/stale.jpg").orElseThrow().metadata())
			.containsEntry(ImageResizer.RENDITION_METADATA, "200x200");
		assertThat(progress).extracting(ReconcileReport::checked).isSorted().last().isEqualTo(first.checked());

		ReconcileReport second = reconciler(resizer, Duration.ZERO).reconcile(BUCKET, null, Deadline.none(),
				(report) -> {
				});
		assertThat(second.rendered()).isZero();
		assertThat(second.removed()).isZero();
		// Four originals (the text too), and six thumbnails.
		assertThat(second.checked()).isEqualTo(4 + 6);
	}

	@Test
	void stopsBeforeItsDeadlineAndTheNextRunsContinueUntilDone() {
		ImageResizer resizer = resizer(RENDITIONS);
		// Each description takes 40 ms: 24 images need more than three runs' worth of
		// 300 ms, however fast the machine, and each run does at least one.
		for (int i = 0; i < 24; i++) {
			upload("uploads/" + i + ".jpg");
		}
		ThumbnailReconciler reconciler = new ThumbnailReconciler(resizer, new SlowStore(this.store),
				Duration.ofMillis(50));
		List<ReconcileReport> runs = new ArrayList<>();
		String continuation = null;
		do {
			ReconcileReport run = reconciler.reconcile(BUCKET, null, Deadline.after(Duration.ofMillis(300)),
					(report) -> {
					});
			runs.add(run);
			continuation = run.continuation();
			if (continuation != null) {
				assertThat(this.store.stat(BUCKET, "resized/" + ThumbnailReconciler.STATE_NAME))
					.as("the continuation kept for the next run")
					.isPresent();
			}
		}
		while (continuation != null && runs.size() < 100);

		assertThat(runs.size()).as("runs").isGreaterThan(1);
		assertThat(runs.get(runs.size() - 1).complete()).isTrue();
		assertThat(runs.stream().mapToInt(ReconcileReport::rendered).sum()).isEqualTo(24);
		assertThat(thumbnails()).hasSize(48);
		assertThat(this.store.stat(BUCKET, "resized/" + ThumbnailReconciler.STATE_NAME)).as("once done").isEmpty();
	}

	@Test
	void reportsAnImageItCannotRenderAndGoesOn() {
		this.store.write(BUCKET, "uploads/broken.jpg", new byte[] { (byte) 0xFF, (byte) 0xD8, 1, 2, 3 }, "image/jpeg");
		upload("uploads/fine.jpg");
		ReconcileReport report = reconciler(resizer(RENDITIONS), Duration.ZERO).reconcile(BUCKET, null, Deadline.none(),
				(progress) -> {
				});
		assertThat(report.rendered()).isEqualTo(1);
		assertThat(report.failed()).isEqualTo(1);
		assertThat(report.errors()).singleElement().asString().startsWith("uploads/broken.jpg: ");
		assertThat(report.complete()).isTrue();
	}

	@Test
	void refusesAContinuationItDidNotGiveAndABucketItWasNotTold() {
		ThumbnailReconciler reconciler = reconciler(resizer(RENDITIONS), Duration.ZERO);
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> reconciler.reconcile(BUCKET, "elsewhere:x", Deadline.none(), (report) -> {
			}))
			.withMessageContaining("Not a continuation");
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> new ReconcileThumbnailsFunction(reconciler, "", Duration.ofMinutes(1))
				.apply(new ReconcileThumbnailsFunction.Request(null, null)))
			.withMessageContaining("skyfold.image-resizer.reconcile.bucket");
	}

	private ThumbnailReconciler reconciler(ImageResizer resizer, Duration margin) {
		return new ThumbnailReconciler(resizer, this.store, margin);
	}

	/** The local store, with each description taking a while, as over a network. */
	private record SlowStore(BlobStore store) implements BlobStore {

		@Override
		public Optional<BlobInfo> stat(String bucket, String key) {
			try {
				Thread.sleep(40);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			return this.store.stat(bucket, key);
		}

		@Override
		public Optional<Blob> read(String bucket, String key, long maxBytes) {
			return this.store.read(bucket, key, maxBytes);
		}

		@Override
		public BlobInfo write(String bucket, String key, byte[] content, String contentType,
				Map<String, String> metadata) {
			return this.store.write(bucket, key, content, contentType, metadata);
		}

		@Override
		public void delete(String bucket, String key) {
			this.store.delete(bucket, key);
		}

		@Override
		public BlobPage listPage(String bucket, String prefix, @Nullable String continuation, int limit) {
			return this.store.listPage(bucket, prefix, continuation, limit);
		}

	}

}
