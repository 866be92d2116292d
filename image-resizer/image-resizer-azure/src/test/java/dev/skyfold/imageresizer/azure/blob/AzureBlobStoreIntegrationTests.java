package dev.skyfold.imageresizer.azure.blob;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

import com.azure.storage.blob.BlobServiceClient;
import com.azure.storage.blob.models.BlobProperties;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AzureBlobStoreIntegrationTests {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private static BlobServiceClient blobs;

	private static AzureBlobStore store;

	@BeforeAll
	static void createContainer() {
		blobs = AzureBlobClients.create(azurite.connectionString(), null, Duration.ofSeconds(10));
		blobs.createBlobContainer("photos");
		store = new AzureBlobStore(blobs, 1024);
	}

	@Test
	void writesAndReadsABlobWithItsContentTypeAndMetadata() {
		Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		BlobInfo written = store.write("photos", "resized/uploads/my photo+1.jpg", new byte[] { 1, 2, 3 }, "image/jpeg",
				Map.of("source-key", "uploads/my photo+1.jpg"));
		assertThat(written.size()).isEqualTo(3);
		assertThat(written.lastModified()).isAfterOrEqualTo(before.minusSeconds(5));

		assertThat(store.read("photos", "resized/uploads/my photo+1.jpg")).hasValue(new byte[] { 1, 2, 3 });
		assertThat(store.stat("photos", "resized/uploads/my photo+1.jpg")).hasValueSatisfying((info) -> {
			assertThat(info.size()).isEqualTo(3);
			assertThat(info.contentType()).isEqualTo("image/jpeg");
		});
		BlobProperties properties = blobs.getBlobContainerClient("photos")
			.getBlobClient("resized/uploads/my photo+1.jpg")
			.getProperties();
		assertThat(properties.getContentType()).isEqualTo("image/jpeg");
		assertThat(properties.getMetadata()).containsExactly(Map.entry("source_key", "uploads/my photo+1.jpg"));
	}

	@Test
	void encodesMetadataValuesThatAHeaderCannotCarry() {
		store.write("photos", "resized/café.png", new byte[] { 7 }, "image/png", Map.of("source-key", "café.png"));
		assertThat(
				blobs.getBlobContainerClient("photos").getBlobClient("resized/café.png").getProperties().getMetadata())
			.containsExactly(Map.entry("source_key", "=?UTF-8?B?Y2Fmw6kucG5n?="));
		assertThat(store.read("photos", "resized/café.png")).hasValue(new byte[] { 7 });
	}

	@Test
	void readsMissingBlobsAndContainersAsAbsent() {
		assertThat(store.stat("photos", "no/such.jpg")).isEmpty();
		assertThat(store.read("photos", "no/such.jpg")).isEmpty();
		assertThat(store.stat("no-such-container", "a.jpg")).isEmpty();
		assertThat(store.read("no-such-container", "a.jpg")).isEmpty();
		assertThat(store.list("no-such-container", "")).isEmpty();
	}

	@Test
	void refusesToReadABlobOverTheLimitWithoutReadingIt() {
		store.write("photos", "big.bin", new byte[2048], "application/octet-stream");
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> store.read("photos", "big.bin"))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE))
			.withMessage("Object too large: big.bin has 2048 bytes, over the limit of 1024 bytes");
	}

	@Test
	void listsBlobsUnderAPrefixInNameOrder() {
		store.write("photos", "list/b.png", new byte[] { 1 }, "image/png");
		store.write("photos", "list/a.jpg", new byte[] { 1, 2 }, "image/jpeg");
		store.write("photos", "other.jpg", new byte[] { 1 }, "image/jpeg");
		assertThat(store.list("photos", "list/")).extracting(BlobInfo::key, BlobInfo::size, BlobInfo::contentType)
			.containsExactly(org.assertj.core.groups.Tuple.tuple("list/a.jpg", 2L, "image/jpeg"),
					org.assertj.core.groups.Tuple.tuple("list/b.png", 1L, "image/png"));
	}

	@Test
	void deletesBlobsAndToleratesMissingOnes() {
		store.write("photos", "gone.jpg", new byte[] { 1 }, "image/jpeg");
		store.delete("photos", "gone.jpg");
		assertThat(store.stat("photos", "gone.jpg")).isEmpty();
		store.delete("photos", "gone.jpg");
		store.delete("no-such-container", "gone.jpg");
	}

	@Test
	void refusesNamesThatAUrlWouldResolveElsewhere() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store.write("photos", "uploads/../secret.jpg", new byte[] { 1 }, "image/jpeg"))
			.withMessageContaining("'..' path segment");
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> store.read("Photos", "a.jpg"))
			.withMessageStartingWith("Invalid container name 'Photos'");
		assertThat(store.list("photos", "uploads/")).isEmpty();
	}

}
