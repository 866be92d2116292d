package dev.skyfold.imageresizer.azure.blob;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobItem;
import com.azure.storage.blob.models.BlobProperties;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStoreContract;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link AzureBlobStore} against Azurite: the {@link BlobStoreContract},
 * listing two blobs a page, and how the blobs look to Azure itself.
 */
class AzureBlobStoreIntegrationTests extends BlobStoreContract {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private static BlobServiceClient blobs;

	@BeforeAll
	static void createContainers() {
		blobs = AzureBlobClients.create(azurite.connectionString(), null, Duration.ofSeconds(10));
		blobs.createBlobContainer(BUCKET);
		blobs.createBlobContainer(OTHER_BUCKET);
	}

	@Override
	protected BlobStore createEmptyStore() {
		for (String name : List.of(BUCKET, OTHER_BUCKET)) {
			BlobContainerClient container = blobs.getBlobContainerClient(name);
			for (BlobItem blob : container.listBlobs()) {
				container.getBlobClient(blob.getName()).delete();
			}
		}
		return new AzureBlobStore(blobs, 2);
	}

	@Test
	void keepsMetadataNamesWithUnderscoresForDashesAsAzureRequires() {
		store().write(BUCKET, "resized/uploads/my photo+1.jpg", new byte[] { 1, 2, 3 }, "image/jpeg",
				Map.of("source-key", "uploads/my photo+1.jpg"));
		BlobProperties properties = blobs.getBlobContainerClient(BUCKET)
			.getBlobClient("resized/uploads/my photo+1.jpg")
			.getProperties();
		assertThat(properties.getContentType()).isEqualTo("image/jpeg");
		assertThat(properties.getMetadata()).containsExactly(Map.entry("source_key", "uploads/my photo+1.jpg"));
	}

	@Test
	void encodesMetadataValuesThatAHeaderCannotCarry() {
		store().write(BUCKET, "resized/café.png", new byte[] { 7 }, "image/png", Map.of("source-key", "café.png"));
		assertThat(blobs.getBlobContainerClient(BUCKET).getBlobClient("resized/café.png").getProperties().getMetadata())
			.containsExactly(Map.entry("source_key", "=?UTF-8?B?Y2Fmw6kucG5n?="));
	}

	@ParameterizedTest
	@ValueSource(strings = { "folder/", "back\\slash.jpg" })
	void refusesNamesAzureDoesNotKeepAsTheyAre(String key) {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store().write(BUCKET, key, new byte[] { 1 }, "image/jpeg"))
			.withMessageContaining("ends with '/' or contains '\\'");
		assertThat(store().list(BUCKET, "")).isEmpty();
	}

	@Test
	void refusesNamesThatAUrlWouldResolveElsewhereSayingWhy() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store().write(BUCKET, "uploads/../secret.jpg", new byte[] { 1 }, "image/jpeg"))
			.withMessageContaining("'..' path segment");
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> store().read("Photos", "a.jpg", 10))
			.withMessageStartingWith("Invalid container name 'Photos'");
	}

}
