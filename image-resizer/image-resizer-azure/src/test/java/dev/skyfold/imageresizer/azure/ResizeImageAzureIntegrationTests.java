package dev.skyfold.imageresizer.azure;

import java.io.ByteArrayInputStream;
import java.time.Duration;
import java.util.Map;
import java.util.logging.Level;

import javax.imageio.ImageIO;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.skyfold.azure.functions.SpringFunctionInstanceInjector;
import dev.skyfold.imageresizer.azure.blob.AzureBlobClients;
import dev.skyfold.imageresizer.azure.blob.AzureBlobStore;
import dev.skyfold.imageresizer.azure.functions.ReconcileThumbnailsHandler;
import dev.skyfold.imageresizer.azure.functions.ResizeImageHandler;
import dev.skyfold.imageresizer.domain.ReconcileReport;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function app as the Java worker runs it, against Azurite: the adapter's injector
 * starts the application that {@code MAIN_CLASS} names and creates the handler, which
 * gets the events that Event Grid and the blob trigger deliver.
 */
class ResizeImageAzureIntegrationTests {

	private static final String CONNECTION_STRING = "skyfold.image-resizer.azure.blob.connection-string";

	private static final String PHOTO = "uploads/my photo+1.jpg";

	private static final String THUMBNAIL = "resized/uploads/my photo+1.jpg";

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private static BlobContainerClient container;

	private static ResizeImageHandler handler;

	@BeforeAll
	static void startTheFunctionApp() {
		BlobServiceClient blobs = AzureBlobClients.create(azurite.connectionString(), null, Duration.ofSeconds(10));
		container = blobs.createBlobContainer("skyfold");
		SpringFunctionInstanceInjector.close();
		System.setProperty(SpringFunctionInstanceInjector.MAIN_CLASS, ImageResizerAzureApplication.class.getName());
		System.setProperty(CONNECTION_STRING, azurite.connectionString());
		System.setProperty("IMAGE_RESIZER_CONTAINER", "skyfold");
		handler = new SpringFunctionInstanceInjector().getInstance(ResizeImageHandler.class);
	}

	@AfterAll
	static void stopTheFunctionApp() {
		SpringFunctionInstanceInjector.close();
		System.clearProperty(SpringFunctionInstanceInjector.MAIN_CLASS);
		System.clearProperty(CONNECTION_STRING);
		System.clearProperty("IMAGE_RESIZER_CONTAINER");
	}

	@BeforeEach
	void uploadAPhoto() {
		container.getBlobClient(THUMBNAIL).deleteIfExists();
		container.getBlobClient(PHOTO)
			.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(Samples.jpeg(1600, 1200)))
				.setHeaders(new BlobHttpHeaders().setContentType("image/jpeg")), null, null);
	}

	@Test
	void startsTheApplicationWithTheAzureBlobStore() {
		assertThat(SpringFunctionInstanceInjector.application().getBean(BlobStore.class))
			.isInstanceOf(AzureBlobStore.class);
	}

	@Test
	void writesTheThumbnailOfAnUploadAnnouncedByAnEventGridEvent() throws Exception {
		TestExecutionContext context = new TestExecutionContext("resizeImage");
		handler.resizeImage(Samples.event("eventgrid-blob-created.json"), context);
		assertThumbnail();
		assertThat(context.messages(Level.INFO))
			.containsExactly("Resized skyfold/" + PHOTO + " into [" + THUMBNAIL + "]");
	}

	@Test
	void writesTheThumbnailOfAnUploadAnnouncedByACloudEvent() throws Exception {
		handler.resizeImage(Samples.event("cloudevents-blob-created.json"), new TestExecutionContext("resizeImage"));
		assertThumbnail();
	}

	@Test
	void writesTheThumbnailOfAnUploadSeenByTheBlobTrigger() throws Exception {
		handler.resizeImageBlob(new byte[0], "my photo+1.jpg", "skyfold/" + PHOTO,
				new TestExecutionContext("resizeImageBlob"));
		assertThumbnail();
	}

	@Test
	void removesTheThumbnailOfABlobAnnouncedDeleted() throws Exception {
		handler.resizeImage(Samples.event("eventgrid-blob-created.json"), new TestExecutionContext("resizeImage"));
		assertThumbnail();
		container.getBlobClient(PHOTO).delete();
		TestExecutionContext context = new TestExecutionContext("resizeImage");

		handler.resizeImage(Samples.event("eventgrid-blob-deleted.json"), context);

		assertThat(container.getBlobClient(THUMBNAIL).exists()).isFalse();
		assertThat(context.messages(Level.INFO))
			.containsExactly("Removed the thumbnails of skyfold/" + PHOTO + ": [" + THUMBNAIL + "]");
		// Delivered again: harmless.
		handler.resizeImage(Samples.event("eventgrid-blob-deleted.json"), new TestExecutionContext("resizeImage"));
		assertThat(container.getBlobClient(THUMBNAIL).exists()).isFalse();
	}

	@Test
	void reconcilesTheContainerOnItsTimerRenderingWhatIsMissingAndRemovingOrphans() throws Exception {
		container.getBlobClient("resized/uploads/gone.jpg")
			.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(Samples.jpeg(20, 20)))
				.setHeaders(new BlobHttpHeaders().setContentType("image/jpeg")), null, null);
		ReconcileThumbnailsHandler reconcile = new SpringFunctionInstanceInjector()
			.getInstance(ReconcileThumbnailsHandler.class);
		TestExecutionContext context = new TestExecutionContext("reconcileThumbnails");

		ReconcileReport report = reconcile.reconcileThumbnails("{}", context);

		assertThat(report.complete()).isTrue();
		assertThat(report.rendered()).isEqualTo(1);
		assertThat(report.removed()).isEqualTo(1);
		assertThumbnail();
		assertThat(container.getBlobClient("resized/uploads/gone.jpg").exists()).isFalse();
		assertThat(context.messages(Level.INFO)).singleElement()
			.asString()
			.contains("objects checked, 1 rendered, 1 thumbnails removed, 0 failed");
		assertThat(reconcile.reconcileThumbnails("{}", context).rendered()).as("a second run").isZero();
	}

	@Test
	void logsAnUploadThatIsNotAnImageAndWritesNothing() {
		container.getBlobClient(PHOTO)
			.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromString("not an image"))
				.setHeaders(new BlobHttpHeaders().setContentType("image/jpeg")), null, null);
		TestExecutionContext context = new TestExecutionContext("resizeImage");
		handler.resizeImage(Samples.event("eventgrid-blob-created.json"), context);
		assertThat(container.getBlobClient(THUMBNAIL).exists()).isFalse();
		assertThat(context.messages(Level.INFO)).singleElement()
			.asString()
			.startsWith("Skipped skyfold/" + PHOTO + ": not an image");
	}

	private static void assertThumbnail() throws Exception {
		BlobProperties properties = container.getBlobClient(THUMBNAIL).getProperties();
		assertThat(properties.getContentType()).isEqualTo("image/jpeg");
		assertThat(properties.getMetadata())
			.containsExactlyInAnyOrderEntriesOf(Map.of("source_key", PHOTO, "rendition", "200x200"));
		byte[] thumbnail = container.getBlobClient(THUMBNAIL).downloadContent().toBytes();
		var image = ImageIO.read(new ByteArrayInputStream(thumbnail));
		assertThat(image).isNotNull();
		assertThat(Math.max(image.getWidth(), image.getHeight())).isLessThan(1600);
	}

}
