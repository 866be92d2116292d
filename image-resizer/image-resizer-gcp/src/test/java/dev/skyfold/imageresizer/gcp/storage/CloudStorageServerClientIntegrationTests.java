package dev.skyfold.imageresizer.gcp.storage;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import com.google.cloud.ReadChannel;
import com.google.cloud.WriteChannel;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.Storage.BlobListOption;
import com.google.cloud.storage.Storage.BlobSourceOption;
import com.google.cloud.storage.Storage.BlobTargetOption;
import com.google.cloud.storage.Storage.BlobWriteOption;
import com.google.cloud.storage.StorageException;
import dev.skyfold.testsupport.loopback.gcs.CloudStorageServer;
import dev.skyfold.testsupport.loopback.gcs.CloudStorageServer.RecordedRequest;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * The official Cloud Storage client talks to {@link CloudStorageServer} as it talks to
 * Cloud Storage, beyond what {@link GcsBlobStore} asks of it: resumable uploads in
 * chunks, ranged reads, metadata updates, folder listings and preconditions.
 */
class CloudStorageServerClientIntegrationTests {

	private static final String BUCKET = "photos";

	@RegisterExtension
	static final CloudStorageServer gcs = CloudStorageServer.start(BUCKET);

	private static Storage storage;

	private final byte[] large = new byte[700 * 1024 + 5];

	@BeforeAll
	static void createClient() {
		storage = LoopbackStorage.client(gcs);
	}

	@BeforeEach
	void clear() {
		gcs.clear();
		new Random(7).nextBytes(this.large);
	}

	@Test
	void writesThroughAResumableSessionInChunks() throws Exception {
		BlobInfo info = BlobInfo.newBuilder(BUCKET, "uploads/large.bin")
			.setContentType("image/png")
			.setMetadata(Map.of("source-key", "a"))
			.build();
		try (WriteChannel writer = storage.writer(info)) {
			writer.setChunkSize(256 * 1024);
			writer.write(ByteBuffer.wrap(this.large));
		}

		assertThat(gcs.object(BUCKET, "uploads/large.bin")).hasValueSatisfying((object) -> {
			assertThat(object.content()).isEqualTo(this.large);
			assertThat(object.contentType()).isEqualTo("image/png");
			assertThat(object.metadata()).containsExactly(Map.entry("source-key", "a"));
		});
		assertThat(gcs.requests()).extracting(RecordedRequest::method, RecordedRequest::status)
			.containsExactly(tuple("POST", 200), tuple("PUT", 308), tuple("PUT", 308), tuple("PUT", 200));
		assertThat(gcs.requests().get(0).query()).contains("uploadType=resumable");
		assertThat(gcs.requests().get(1).query()).contains("upload_id=");
	}

	@Test
	void createsObjectsFromFilesStreamsAndEmptyWriters(@TempDir Path folder) throws Exception {
		Path file = Files.write(folder.resolve("large.bin"), this.large);
		storage.createFrom(BlobInfo.newBuilder(BUCKET, "from-file").build(), file);
		storage.createFrom(BlobInfo.newBuilder(BUCKET, "from-stream").build(), new ByteArrayInputStream(this.large));
		try (WriteChannel writer = storage.writer(BlobInfo.newBuilder(BUCKET, "empty").build())) {
			// Nothing to write.
		}

		assertThat(storage.readAllBytes(BlobId.of(BUCKET, "from-file"))).isEqualTo(this.large);
		assertThat(storage.readAllBytes(BlobId.of(BUCKET, "from-stream"))).isEqualTo(this.large);
		assertThat(storage.get(BlobId.of(BUCKET, "empty")).getSize()).isZero();
		assertThat(storage.readAllBytes(BlobId.of(BUCKET, "empty"))).isEmpty();
	}

	@Test
	void readsARangeThroughAReadChannel() throws Exception {
		storage.create(BlobInfo.newBuilder(BUCKET, "large.bin").build(), this.large);
		ByteBuffer buffer = ByteBuffer.allocate(10_000);
		try (ReadChannel reader = storage.reader(BlobId.of(BUCKET, "large.bin"))) {
			reader.seek(1000);
			reader.limit(5000);
			while (reader.read(buffer) >= 0) {
				// Until the limit.
			}
		}

		byte[] read = new byte[buffer.position()];
		buffer.flip().get(read);
		assertThat(read).isEqualTo(Arrays.copyOfRange(this.large, 1000, 5000));
		assertThat(gcs.requests()).last().satisfies((request) -> {
			assertThat(request.path()).startsWith("/download/storage/v1/b/photos/o/");
			assertThat(request.status()).isEqualTo(206);
		});
	}

	@Test
	void downloadsToAFile(@TempDir Path folder) {
		storage.create(BlobInfo.newBuilder(BUCKET, "large.bin").build(), this.large);

		storage.downloadTo(BlobId.of(BUCKET, "large.bin"), folder.resolve("copy.bin"));

		assertThat(folder.resolve("copy.bin")).hasBinaryContent(this.large);
	}

	@Test
	void updatesContentTypeAndMetadata() {
		storage.create(
				BlobInfo.newBuilder(BUCKET, "a.jpg").setContentType("image/png").setMetadata(Map.of("a", "1")).build(),
				new byte[] { 1 });

		Blob updated = storage.update(BlobInfo.newBuilder(BUCKET, "a.jpg")
			.setContentType("image/jpeg")
			.setMetadata(Map.of("b", "2"))
			.build());

		assertThat(updated.getContentType()).isEqualTo("image/jpeg");
		assertThat(updated.getMetadata()).containsOnly(Map.entry("a", "1"), Map.entry("b", "2"));
		assertThat(updated.getMetageneration()).isEqualTo(2);
		assertThat(gcs.object(BUCKET, "a.jpg").orElseThrow().content()).containsExactly(1);
	}

	@Test
	void listsFoldersWithTheDelimiter() {
		for (String name : List.of("a.jpg", "uploads/b.jpg", "uploads/c/d.jpg", "resized/e.jpg")) {
			storage.create(BlobInfo.newBuilder(BUCKET, name).build(), new byte[] { 1 });
		}

		assertThat(storage.list(BUCKET, BlobListOption.currentDirectory()).iterateAll())
			.extracting(Blob::getName, Blob::isDirectory)
			.containsExactlyInAnyOrder(tuple("a.jpg", false), tuple("resized/", true), tuple("uploads/", true));
		assertThat(storage
			.list(BUCKET, BlobListOption.currentDirectory(), BlobListOption.prefix("uploads/"),
					BlobListOption.pageSize(1))
			.iterateAll()).extracting(Blob::getName).containsExactly("uploads/b.jpg", "uploads/c/");
	}

	@Test
	void holdsPreconditionsOnEveryPath() {
		Blob first = storage.create(BlobInfo.newBuilder(BUCKET, "a.jpg").build(), new byte[] { 1 });
		BlobInfo again = BlobInfo.newBuilder(BUCKET, "a.jpg").build();

		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> storage.create(again, new byte[] { 2 }, BlobTargetOption.doesNotExist()))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(412));
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> {
			try (WriteChannel writer = storage.writer(again, BlobWriteOption.doesNotExist())) {
				writer.write(ByteBuffer.wrap(new byte[] { 2 }));
			}
		}).satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(412));
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> storage.delete(BlobId.of(BUCKET, "a.jpg"), BlobSourceOption.generationMatch(1)))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(412));
		assertThat(storage.readAllBytes(BlobId.of(BUCKET, "a.jpg"),
				BlobSourceOption.generationMatch(first.getGeneration())))
			.containsExactly(1);
		assertThat(storage.delete(BlobId.of(BUCKET, "a.jpg"), BlobSourceOption.generationMatch(first.getGeneration())))
			.isTrue();
		assertThat(storage.create(again, new byte[] { 3 }, BlobTargetOption.doesNotExist()).getGeneration())
			.isGreaterThan(first.getGeneration());
	}

	@Test
	void findsTheGivenBucketsOnly() {
		assertThat(storage.get(BUCKET).getName()).isEqualTo(BUCKET);
		assertThat(storage.get("missing-bucket")).isNull();
		assertThat(storage.get(BlobId.of("missing-bucket", "a.jpg"))).isNull();
		assertThatExceptionOfType(StorageException.class).isThrownBy(() -> {
			try (WriteChannel writer = storage.writer(BlobInfo.newBuilder("missing-bucket", "a.jpg").build())) {
				writer.write(ByteBuffer.wrap(new byte[] { 1 }));
			}
		}).satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(404));
	}

}
