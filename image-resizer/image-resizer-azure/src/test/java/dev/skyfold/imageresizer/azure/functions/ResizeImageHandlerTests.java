package dev.skyfold.imageresizer.azure.functions;

import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.logging.Level;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.azure.Samples;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.UnreadableKeys;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ResizeImageHandler}, with the core's resizer, its local folder store
 * and its ImageIO renderer: the Azure events reach the core's batch policy, and what it
 * did is logged for the invocation.
 */
class ResizeImageHandlerTests {

	private static final String PHOTO = "uploads/my photo+1.jpg";

	private final TestExecutionContext context = new TestExecutionContext("resizeImage");

	@TempDir
	Path root;

	private FileSystemBlobStore store;

	@BeforeEach
	void createStore() {
		this.store = new FileSystemBlobStore(this.root);
	}

	@Test
	void resizesTheBlobOfAnEventGridEvent() {
		this.store.write("skyfold", PHOTO, Samples.jpeg(400, 300), "image/jpeg");
		handler(this.store, 10_000_000).resizeImage(Samples.event("eventgrid-blob-created.json"), this.context);
		assertThat(resized()).containsExactly("resized/" + PHOTO);
		assertThat(this.context.messages(Level.INFO))
			.containsExactly("Resized skyfold/uploads/my photo+1.jpg into [resized/uploads/my photo+1.jpg]");
	}

	@Test
	void resizesTheBlobOfACloudEvent() {
		this.store.write("skyfold", PHOTO, Samples.jpeg(400, 300), "image/jpeg");
		handler(this.store, 10_000_000).resizeImage(Samples.event("cloudevents-blob-created.json"), this.context);
		assertThat(resized()).containsExactly("resized/" + PHOTO);
	}

	@Test
	void logsEventsThatAreNotJsonWithoutFailingSoThatTheyAreNotRetried() {
		handler(this.store, 10_000_000).resizeImage("{oops", this.context);
		assertThat(this.context.messages(Level.WARNING)).singleElement()
			.asString()
			.startsWith("Rejected an event: The event is not JSON");
	}

	@Test
	void logsRejectedImagesWithoutFailing() {
		byte[] photo = Samples.jpeg(400, 300);
		this.store.write("skyfold", PHOTO, photo, "image/jpeg");
		handler(this.store, photo.length - 1).resizeImage(Samples.event("eventgrid-blob-created.json"), this.context);
		assertThat(resized()).isEmpty();
		assertThat(this.context.messages(Level.WARNING)).singleElement()
			.asString()
			.startsWith("Rejected skyfold/uploads/my photo+1.jpg: Object too large");
	}

	@Test
	void resizesTheOtherEventsOfABatchThenFailsForATransientErrorSoThatEventGridRetries() {
		BlobStore unreachable = new UnreadableKeys(this.store, List.of("uploads/2026/café.png"));
		ResizeImageHandler handler = handler(unreachable, 10_000_000);
		assertThatExceptionOfType(ResizeFailedException.class)
			.isThrownBy(() -> handler.resizeImage(Samples.event("eventgrid-batch.json"), this.context))
			.satisfies((ex) -> assertThat(ex.getCause()).isInstanceOf(UncheckedIOException.class)
				.hasMessageContaining("uploads/2026/café.png"));
		assertThat(this.context.messages(Level.INFO)).singleElement()
			.asString()
			.startsWith("Removed the thumbnails of skyfold/uploads/old.jpg: []");
		assertThat(this.context.messages(Level.WARNING)).singleElement().asString().startsWith("Rejected event third");
		assertThat(this.context.messages(Level.SEVERE)).singleElement()
			.asString()
			.startsWith("Could not resize skyfold/uploads/2026/café.png")
			.contains("retrying");
	}

	@Test
	void takesTheContainerOfABlobTriggerFromItsMetadata() {
		this.store.write("skyfold", "uploads/2026/my photo.jpg", Samples.jpeg(400, 300), "image/jpeg");
		handler(this.store, 10_000_000).resizeImageBlob(new byte[12], "2026/my photo.jpg",
				"skyfold/uploads/2026/my photo.jpg", this.context);
		assertThat(resized()).containsExactly("resized/uploads/2026/my photo.jpg");
	}

	private List<String> resized() {
		return this.store.list("skyfold", "resized/").stream().map(BlobInfo::key).toList();
	}

	private static ResizeImageHandler handler(BlobStore store, long maxBytes) {
		ImageResizer resizer = new ImageResizer(store,
				new ImageIoThumbnailRenderer(ImageIoThumbnailRenderer.Settings.defaults()),
				new ImageResizer.Settings("resized/", List.of(new Rendition("", new Box(200, 200))), maxBytes));
		return new ResizeImageHandler(resizer::resizeEach);
	}

}
