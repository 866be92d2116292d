package dev.skyfold.imageresizer.gcp.storage;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageException;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStoreContract;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.testsupport.loopback.gcs.CloudStorageServer;
import dev.skyfold.testsupport.loopback.gcs.CloudStorageServer.RecordedRequest;
import dev.skyfold.testsupport.loopback.gcs.StoredObject;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Tests for {@link GcsBlobStore} with the official client against
 * {@link CloudStorageServer}, a Cloud Storage JSON API on loopback: the
 * {@link BlobStoreContract}, listing two objects a page, the requests each operation
 * makes, and how the objects look to Cloud Storage itself.
 */
class GcsBlobStoreIntegrationTests extends BlobStoreContract {

	@RegisterExtension
	static final CloudStorageServer gcs = CloudStorageServer.start(BUCKET, OTHER_BUCKET);

	private static Storage storage;

	@BeforeAll
	static void createClient() {
		storage = LoopbackStorage.client(gcs);
	}

	@Override
	protected BlobStore createEmptyStore() {
		gcs.clear();
		return new GcsBlobStore(storage, 2);
	}

	@Test
	void keepsUserMetadataAsCustomMetadataExactlyAsWritten() {
		Map<String, String> metadata = Map.of("source-key", "uploads/été 2024/日本 😀.jpg", "note", " two\nlines ");
		store().write(BUCKET, "resized/photo.jpg", bytes("thumbnail"), "image/jpeg", metadata);

		com.google.cloud.storage.Blob object = storage.get(BlobId.of(BUCKET, "resized/photo.jpg"));
		assertThat(object.getContentType()).isEqualTo("image/jpeg");
		assertThat(object.getMetadata()).isEqualTo(metadata);
		assertThat(gcs.object(BUCKET, "resized/photo.jpg")).hasValueSatisfying((stored) -> {
			assertThat(stored.metadata()).isEqualTo(metadata);
			assertThat(stored.metageneration()).isOne();
		});
	}

	@Test
	void writesEachObjectWithOneMultipartUploadThatCarriesItsChecksum() throws Exception {
		byte[] content = bytes("a small picture");
		String md5 = Base64.getEncoder().encodeToString(MessageDigest.getInstance("MD5").digest(content));
		BlobInfo written = store().write(BUCKET, "uploads/photo.jpg", content, "image/jpeg");

		assertThat(gcs.requests()).singleElement().satisfies((request) -> {
			assertThat(request.method()).isEqualTo("POST");
			assertThat(request.path()).isEqualTo("/upload/storage/v1/b/" + BUCKET + "/o");
			assertThat(request.query()).contains("uploadType=multipart");
			assertThat(request.status()).isEqualTo(200);
		});
		// The server refuses an upload whose crc32c does not match its content.
		assertThat(gcs.object(BUCKET, "uploads/photo.jpg")).hasValueSatisfying((stored) -> {
			assertThat(stored.md5Hash()).isEqualTo(md5);
			assertThat(stored.contentType()).isEqualTo("image/jpeg");
			assertThat(stored.updated()).isEqualTo(written.lastModified());
		});
	}

	@Test
	void refusesAnObjectOverTheLimitWithoutDownloadingIt() {
		store().write(BUCKET, "uploads/large.bin", new byte[1001], "application/octet-stream");
		int mark = gcs.requests().size();

		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store().read(BUCKET, "uploads/large.bin", 1000));

		assertThat(requestsSince(mark)).extracting(RecordedRequest::toString)
			.singleElement()
			.asString()
			.startsWith("GET /storage/v1/b/" + BUCKET + "/o/uploads%2Flarge.bin?")
			.doesNotContain("alt=media");
	}

	@Test
	void downloadsTheGenerationItDescribed() {
		store().write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		long generation = gcs.object(BUCKET, "uploads/photo.jpg").orElseThrow().generation();
		int mark = gcs.requests().size();

		store().read(BUCKET, "uploads/photo.jpg", 10);

		assertThat(requestsSince(mark)).hasSize(2)
			.last()
			.satisfies((download) -> assertThat(download.query()).contains("alt=media")
				.contains("ifGenerationMatch=" + generation));
	}

	@Test
	void readsTheNewObjectWhenItIsReplacedBetweenDescriptionAndDownload() {
		store().write(BUCKET, "uploads/photo.jpg", bytes("first"), "image/png", Map.of("v", "1"));
		GcsBlobStore racing = new GcsBlobStore(beforeFirstDownload(() -> store().write(BUCKET, "uploads/photo.jpg",
				bytes("second, longer"), "image/jpeg", Map.of("v", "2"))));

		assertThat(racing.read(BUCKET, "uploads/photo.jpg", 100)).hasValueSatisfying((blob) -> {
			assertThat(blob.content()).isEqualTo(bytes("second, longer"));
			assertThat(blob.info().size()).isEqualTo(blob.content().length);
			assertThat(blob.info().contentType()).isEqualTo("image/jpeg");
			assertThat(blob.info().metadata()).containsExactly(Map.entry("v", "2"));
		});
	}

	@Test
	void readsNothingForAnObjectDeletedBetweenDescriptionAndDownload() {
		store().write(BUCKET, "uploads/photo.jpg", bytes("first"), "image/png");
		GcsBlobStore racing = new GcsBlobStore(beforeFirstDownload(() -> store().delete(BUCKET, "uploads/photo.jpg")));

		assertThat(racing.read(BUCKET, "uploads/photo.jpg", 100)).isEmpty();
	}

	@Test
	void listsAPageInOneRequestThatDescribesEveryObject() {
		for (int i = 0; i < 5; i++) {
			store().write(BUCKET, "paged/" + i + ".txt", bytes("x"), "text/plain", Map.of("index", "" + i));
		}
		int mark = gcs.requests().size();

		BlobStore.BlobPage page = store().listPage(BUCKET, "paged/", null, 3);

		assertThat(page.objects()).extracting(BlobInfo::key, BlobInfo::metadata)
			.containsExactly(tuple("paged/0.txt", Map.of("index", "0")), tuple("paged/1.txt", Map.of("index", "1")));
		assertThat(page.continuation()).isNotNull();
		assertThat(requestsSince(mark)).singleElement()
			.satisfies((request) -> assertThat(request.query()).contains("maxResults=2").contains("prefix=paged/"));
	}

	// Cloud Storage keeps these as they are; the Azure store refuses the first two.
	@ParameterizedTest
	@ValueSource(strings = { "folder/", "back\\slash.jpg", "question?mark#hash.jpg", "a//double.jpg" })
	void keepsKeysAsCloudStorageListsThem(String key) {
		store().write(BUCKET, key, bytes("content of " + key), "image/jpeg");

		assertThat(content(BUCKET, key)).hasValue(bytes("content of " + key));
		assertThat(storage.list(BUCKET).iterateAll()).extracting(com.google.cloud.storage.Blob::getName)
			.containsExactly(key);
		assertThat(gcs.objects(BUCKET)).extracting(StoredObject::name).containsExactly(key);
	}

	@Test
	void refusesKeysCloudStorageRefuses() {
		String longest = "é".repeat(511) + "x".repeat(2);
		assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
		store().write(BUCKET, longest, bytes("x"), "image/jpeg");
		assertThat(content(BUCKET, longest)).hasValue(bytes("x"));
		for (String key : new String[] { longest + "x", ".well-known/acme-challenge/token", "a\rb" }) {
			assertThatExceptionOfType(RejectedInputException.class).as(key)
				.isThrownBy(() -> store().write(BUCKET, key, bytes("x"), "image/jpeg"))
				.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
		}
		assertThat(gcs.objects(BUCKET)).hasSize(1);
	}

	@Test
	void failsWithTheStorageErrorWhenWritingToAMissingBucket() {
		assertThatExceptionOfType(StorageException.class)
			.isThrownBy(() -> store().write(MISSING_BUCKET, "a.jpg", bytes("x"), "image/jpeg"))
			.satisfies((ex) -> assertThat(ex.getCode()).isEqualTo(404));
	}

	@Test
	void refusesBucketNamesWithUnderscoresThoughCloudStorageTakesThem() {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> store().stat("sky_fold", "a.jpg"))
			.withMessageStartingWith("Invalid bucket name 'sky_fold'");
		assertThat(gcs.requests()).isEmpty();
	}

	private static List<RecordedRequest> requestsSince(int mark) {
		List<RecordedRequest> requests = gcs.requests();
		return requests.subList(mark, requests.size());
	}

	/**
	 * The test client, which runs an action just before its first download.
	 */
	private static Storage beforeFirstDownload(Runnable action) {
		AtomicBoolean done = new AtomicBoolean();
		return (Storage) Proxy.newProxyInstance(Storage.class.getClassLoader(), new Class<?>[] { Storage.class },
				(proxy, method, arguments) -> {
					if (method.getName().equals("readAllBytes") && done.compareAndSet(false, true)) {
						action.run();
					}
					try {
						return method.invoke(storage, arguments);
					}
					catch (InvocationTargetException ex) {
						throw ex.getCause();
					}
				});
	}

}
