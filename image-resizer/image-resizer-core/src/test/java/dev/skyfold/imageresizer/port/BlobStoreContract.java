package dev.skyfold.imageresizer.port;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.tuple;

/**
 * What every {@link BlobStore} promises, whatever keeps the objects: a subclass supplies
 * a store whose buckets {@value #BUCKET} and {@value #OTHER_BUCKET} exist and are empty,
 * and inherits the tests. Run against the local folder store, the S3 store on S3Mock and
 * the Azure Blob store on Azurite.
 */
public abstract class BlobStoreContract {

	/** The bucket most tests write to. */
	protected static final String BUCKET = "skyfold";

	/** A second bucket, which must stay apart from the first. */
	protected static final String OTHER_BUCKET = "other-bucket";

	/** A bucket that does not exist. */
	protected static final String MISSING_BUCKET = "missing-bucket";

	/** As many bytes as any object the tests read, and more. */
	private static final long NO_LIMIT = Blob.MAX_BYTES;

	private @Nullable BlobStore store;

	/**
	 * Opens a store whose buckets {@value #BUCKET} and {@value #OTHER_BUCKET} exist and
	 * hold no object, and {@value #MISSING_BUCKET} does not exist; called before each
	 * test. A store that lists in pages should list small ones (two objects, say), so
	 * that the tests turn pages.
	 * @return the store
	 * @throws Exception when it cannot be opened
	 */
	protected abstract BlobStore createEmptyStore() throws Exception;

	@BeforeEach
	void openEmptyStore() throws Exception {
		this.store = createEmptyStore();
	}

	/**
	 * The store under test.
	 * @return the store {@link #createEmptyStore()} opened for this test
	 */
	protected final BlobStore store() {
		assertThat(this.store).as("store").isNotNull();
		return this.store;
	}

	/**
	 * An object's bytes, read whole.
	 * @param bucket the bucket
	 * @param key the key
	 * @return the bytes, or empty when there is no such object
	 */
	protected final Optional<byte[]> content(String bucket, String key) {
		return store().read(bucket, key, NO_LIMIT).map(Blob::content);
	}

	@Test
	void writesReadsStatsAndListsAnObject() {
		Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		byte[] content = bytes("a small picture");
		BlobInfo written = store().write(BUCKET, "uploads/photo.jpg", content, "image/jpeg");
		assertThat(written.key()).isEqualTo("uploads/photo.jpg");
		assertThat(written.size()).isEqualTo(content.length);
		assertThat(written.contentType()).isEqualTo("image/jpeg");
		assertThat(written.metadata()).isEmpty();
		assertThat(written.lastModified()).isBetween(before.minusSeconds(5), Instant.now().plusSeconds(5));
		assertThat(store().read(BUCKET, "uploads/photo.jpg", NO_LIMIT)).hasValueSatisfying((blob) -> {
			assertThat(blob.content()).isEqualTo(content);
			assertDescribes(blob.info(), written);
		});
		assertThat(store().stat(BUCKET, "uploads/photo.jpg"))
			.hasValueSatisfying((stored) -> assertDescribes(stored, written));
		assertThat(store().list(BUCKET, "")).singleElement().satisfies((listed) -> assertDescribes(listed, written));
	}

	@Test
	void keepsEachObjectsContentTypeApartInEachBucket() {
		store().write(BUCKET, "a.png", bytes("png"), "image/png");
		store().write(BUCKET, "b.txt", bytes("text"), "text/plain");
		store().write(OTHER_BUCKET, "a.png", bytes("other"), "image/webp");
		assertThat(store().stat(BUCKET, "a.png")).map(BlobInfo::contentType).hasValue("image/png");
		assertThat(store().stat(BUCKET, "b.txt")).map(BlobInfo::contentType).hasValue("text/plain");
		assertThat(store().stat(OTHER_BUCKET, "a.png")).map(BlobInfo::contentType).hasValue("image/webp");
		assertThat(content(BUCKET, "a.png")).hasValue(bytes("png"));
		assertThat(content(OTHER_BUCKET, "a.png")).hasValue(bytes("other"));
	}

	@Test
	void givesBackUserMetadataAsWrittenFromEveryRead() {
		Map<String, String> metadata = Map.of("source-key", "uploads/été 2024/日本 😀 my photo+1.jpg", "note",
				" padded, with a\nline break ", "v2", "=?looks encoded?=");
		BlobInfo written = store().write(BUCKET, "resized/photo.jpg", bytes("thumbnail"), "image/jpeg", metadata);
		assertThat(written.metadata()).isEqualTo(metadata);
		assertThat(store().stat(BUCKET, "resized/photo.jpg")).map(BlobInfo::metadata).hasValue(metadata);
		assertThat(store().read(BUCKET, "resized/photo.jpg", NO_LIMIT)).map((blob) -> blob.info().metadata())
			.hasValue(metadata);
		assertThat(store().list(BUCKET, "resized/")).singleElement()
			.satisfies((listed) -> assertThat(listed.metadata()).isEqualTo(metadata));
	}

	@Test
	void dropsTheMetadataOfAnObjectOverwrittenWithout() {
		store().write(BUCKET, "resized/photo.jpg", bytes("first"), "image/png", Map.of("source-key", "photo.png"));
		store().write(BUCKET, "resized/photo.jpg", bytes("second"), "image/jpeg");
		assertThat(store().stat(BUCKET, "resized/photo.jpg")).hasValueSatisfying((info) -> {
			assertThat(info.metadata()).isEmpty();
			assertThat(info.contentType()).isEqualTo("image/jpeg");
		});
	}

	@Test
	void refusesMetadataNamesOutsideTheConventionAndStoresNothing() {
		for (String name : List.of("Source Key", "source_key", "2nd", "")) {
			assertThatIllegalArgumentException().as(name)
				.isThrownBy(() -> store().write(BUCKET, "a.jpg", bytes("x"), "image/jpeg", Map.of(name, "a")));
		}
		assertThat(store().list(BUCKET, "")).isEmpty();
		assertThat(store().stat(BUCKET, "a.jpg")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "uploads/été 2024/photo+1.jpg", "with space.png", "a+b=c&d.jpg", "日本/写真.jpeg",
			"deeply/nested/folders/of/keys/x.gif", "emoji/😀.png", "dots.in.name/..x/x..", "percent%20encoded.jpg",
			"plus+and%2B.jpg", "question?mark#hash.jpg" })
	void roundTripsKeysWithSpacesPlusUnicodeAndFolders(String key) {
		byte[] content = bytes("content of " + key);
		store().write(BUCKET, key, content, "image/jpeg", Map.of("source-key", key));
		assertThat(content(BUCKET, key)).hasValue(content);
		assertThat(store().stat(BUCKET, key)).map(BlobInfo::key).hasValue(key);
		assertThat(store().list(BUCKET, "")).extracting(BlobInfo::key, BlobInfo::metadata)
			.containsExactly(tuple(key, Map.of("source-key", key)));
		assertThat(store().list(BUCKET, key)).extracting(BlobInfo::key).containsExactly(key);
		store().delete(BUCKET, key);
		assertThat(store().stat(BUCKET, key)).isEmpty();
	}

	@Test
	void listsByPrefixInKeyOrder() {
		for (String key : List.of("uploads/b.jpg", "resized/uploads/a.jpg", "uploads/a.jpg", "uploads/été/c.jpg",
				"uploadsX.jpg", "resized/small/uploads/a.jpg", "a.jpg")) {
			store().write(BUCKET, key, bytes(key), "image/jpeg");
		}
		store().write(OTHER_BUCKET, "uploads/z.jpg", bytes("z"), "image/jpeg");
		assertThat(store().list(BUCKET, "")).extracting(BlobInfo::key)
			.containsExactly("a.jpg", "resized/small/uploads/a.jpg", "resized/uploads/a.jpg", "uploads/a.jpg",
					"uploads/b.jpg", "uploads/été/c.jpg", "uploadsX.jpg");
		assertThat(store().list(BUCKET, "uploads/")).extracting(BlobInfo::key)
			.containsExactly("uploads/a.jpg", "uploads/b.jpg", "uploads/été/c.jpg");
		assertThat(store().list(BUCKET, "resized/")).extracting(BlobInfo::key)
			.containsExactly("resized/small/uploads/a.jpg", "resized/uploads/a.jpg");
		assertThat(store().list(BUCKET, "nothing/")).isEmpty();
		assertThat(store().list(OTHER_BUCKET, "")).extracting(BlobInfo::key).containsExactly("uploads/z.jpg");
		assertThat(store().list(BUCKET, "uploads/a.jpg")).singleElement().satisfies((info) -> {
			assertThat(info.size()).isEqualTo(bytes("uploads/a.jpg").length);
			assertThat(info.contentType()).isEqualTo("image/jpeg");
		});
	}

	@Test
	void listsEveryPageOfALongListing() {
		for (int i = 0; i < 7; i++) {
			store().write(BUCKET, "many/" + i + ".txt", bytes("x".repeat(i)), "text/plain",
					Map.of("index", Integer.toString(i)));
		}
		store().write(BUCKET, "manyX.txt", bytes("x"), "text/plain");
		assertThat(store().list(BUCKET, "many/")).extracting(BlobInfo::key, BlobInfo::size, BlobInfo::metadata)
			.containsExactly(tuple("many/0.txt", 0L, Map.of("index", "0")),
					tuple("many/1.txt", 1L, Map.of("index", "1")), tuple("many/2.txt", 2L, Map.of("index", "2")),
					tuple("many/3.txt", 3L, Map.of("index", "3")), tuple("many/4.txt", 4L, Map.of("index", "4")),
					tuple("many/5.txt", 5L, Map.of("index", "5")), tuple("many/6.txt", 6L, Map.of("index", "6")));
	}

	@Test
	void walksAListingPageByPageAndContinuesWhereAPageEnded() {
		for (int i = 9; i >= 0; i--) {
			store().write(BUCKET, "paged/" + i + ".txt", bytes("x".repeat(i)), "text/plain",
					Map.of("index", Integer.toString(i)));
		}
		store().write(BUCKET, "pagedX.txt", bytes("x"), "text/plain");
		List<String> walked = new ArrayList<>();
		String continuation = null;
		int pages = 0;
		do {
			BlobStore.BlobPage page = store().listPage(BUCKET, "paged/", continuation, 3);
			assertThat(page.objects()).hasSizeLessThanOrEqualTo(3);
			page.objects().forEach((info) -> assertThat(info.metadata()).containsKey("index"));
			page.objects().forEach((info) -> walked.add(info.key()));
			continuation = page.continuation();
			pages++;
		}
		while (continuation != null && pages < 10);
		assertThat(walked).containsExactly("paged/0.txt", "paged/1.txt", "paged/2.txt", "paged/3.txt", "paged/4.txt",
				"paged/5.txt", "paged/6.txt", "paged/7.txt", "paged/8.txt", "paged/9.txt");
		assertThat(continuation).as("after the last page").isNull();
		assertThat(store().listPage(BUCKET, "nothing/", null, 3)).isEqualTo(new BlobStore.BlobPage(List.of(), null));
		assertThat(store().listPage(MISSING_BUCKET, "", null, 3).objects()).isEmpty();
	}

	@Test
	void readsNothingForMissingKeysAndBuckets() {
		store().write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertThat(store().read(BUCKET, "uploads/missing.jpg", NO_LIMIT)).isEmpty();
		assertThat(store().stat(BUCKET, "uploads/missing.jpg")).isEmpty();
		assertThat(store().read(OTHER_BUCKET, "uploads/photo.jpg", NO_LIMIT)).isEmpty();
		assertThat(store().read(MISSING_BUCKET, "uploads/photo.jpg", NO_LIMIT)).isEmpty();
		assertThat(store().stat(MISSING_BUCKET, "uploads/photo.jpg")).isEmpty();
		assertThat(store().list(MISSING_BUCKET, "")).isEmpty();
	}

	@Test
	void readsNothingForAFolderOfObjectsOrAKeyBelowAnObject() {
		store().write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertThat(store().read(BUCKET, "uploads", NO_LIMIT)).isEmpty();
		assertThat(store().stat(BUCKET, "uploads")).isEmpty();
		assertThat(store().read(BUCKET, "uploads/photo.jpg/thumb.jpg", NO_LIMIT)).isEmpty();
		assertThat(store().stat(BUCKET, "uploads/photo.jpg/thumb.jpg")).isEmpty();
	}

	@Test
	void overwriteReplacesContentAndContentType() {
		store().write(BUCKET, "uploads/photo", bytes("first, longer content"), "image/png");
		BlobInfo second = store().write(BUCKET, "uploads/photo", bytes("second"), "image/jpeg");
		assertThat(second.size()).isEqualTo(6);
		assertThat(second.contentType()).isEqualTo("image/jpeg");
		assertThat(content(BUCKET, "uploads/photo")).hasValue(bytes("second"));
		assertThat(store().list(BUCKET, "")).singleElement().satisfies((listed) -> assertDescribes(listed, second));
	}

	@Test
	void deletesObjectsAndToleratesMissingOnes() {
		store().write(BUCKET, "uploads/a.png", bytes("png"), "image/png", Map.of("source-key", "a"));
		store().write(BUCKET, "uploads/b.png", bytes("png"), "image/png");
		store().delete(BUCKET, "uploads/a.png");
		assertThat(store().stat(BUCKET, "uploads/a.png")).isEmpty();
		assertThat(store().read(BUCKET, "uploads/a.png", NO_LIMIT)).isEmpty();
		assertThat(store().list(BUCKET, "")).extracting(BlobInfo::key).containsExactly("uploads/b.png");
		store().delete(BUCKET, "uploads/never-written.png");
		store().delete(MISSING_BUCKET, "uploads/a.png");
		// Written again, it has only what the new write gave it.
		store().write(BUCKET, "uploads/a.png", bytes("png"), "image/x-other");
		assertThat(store().stat(BUCKET, "uploads/a.png")).hasValueSatisfying((info) -> {
			assertThat(info.contentType()).isEqualTo("image/x-other");
			assertThat(info.metadata()).isEmpty();
		});
	}

	@Test
	void storesAnEmptyObject() {
		BlobInfo info = store().write(BUCKET, "empty.bin", new byte[0], "application/octet-stream");
		assertThat(info.size()).isZero();
		assertThat(content(BUCKET, "empty.bin")).hasValueSatisfying((content) -> assertThat(content).isEmpty());
		assertThat(store().read(BUCKET, "empty.bin", 0)).isPresent();
	}

	@Test
	void readsAnObjectLargerThanOneBufferWhole() {
		byte[] content = new byte[5 * 1024 * 1024 + 17];
		new Random(42).nextBytes(content);
		store().write(BUCKET, "uploads/large.bin", content, "application/octet-stream");
		assertThat(store().read(BUCKET, "uploads/large.bin", content.length)).hasValueSatisfying((blob) -> {
			assertThat(blob.content()).isEqualTo(content);
			assertThat(blob.info().size()).isEqualTo(content.length);
		});
	}

	@Test
	void refusesToReadAnObjectOverTheLimitAndReadsOnAfterwards() {
		store().write(BUCKET, "uploads/fits.bin", new byte[1000], "application/octet-stream");
		store().write(BUCKET, "uploads/large.bin", new byte[1001], "application/octet-stream");
		assertThat(store().read(BUCKET, "uploads/fits.bin", 1000))
			.hasValueSatisfying((blob) -> assertThat(blob.content()).hasSize(1000));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store().read(BUCKET, "uploads/large.bin", 1000))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE))
			.withMessage("Object too large: uploads/large.bin has 1001 bytes, over the limit of 1000 bytes");
		// Whatever the refusal left open, the next read still works.
		assertThat(store().read(BUCKET, "uploads/fits.bin", 1000)).isPresent();
		assertThatIllegalArgumentException().isThrownBy(() -> store().read(BUCKET, "uploads/fits.bin", -1));
	}

	@ParameterizedTest
	@ValueSource(strings = { "../x", "a/../../x", "..", ".", "./x", "a/./b", "a/..", "../other-bucket/x", "",
			"a\u0000b", "a\nb" })
	void refusesKeysThatCouldLeaveTheBucketAndStoresNothing(String key) {
		assertRejected(() -> store().write(BUCKET, key, bytes("escaped"), "image/jpeg"));
		assertRejected(() -> store().read(BUCKET, key, NO_LIMIT));
		assertRejected(() -> store().stat(BUCKET, key));
		assertRejected(() -> store().delete(BUCKET, key));
		assertThat(store().list(BUCKET, "")).isEmpty();
		assertThat(store().list(OTHER_BUCKET, "")).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ab", "Skyfold", "sky_fold", "-skyfold", "skyfold-", "..", "../skyfold", "sky/fold",
			"sky\\fold", "/skyfold", "sky fold" })
	void refusesInvalidBucketNames(String bucket) {
		assertRejected(() -> store().write(bucket, "a.jpg", bytes("x"), "image/jpeg"));
		assertRejected(() -> store().read(bucket, "a.jpg", NO_LIMIT));
		assertRejected(() -> store().stat(bucket, "a.jpg"));
		assertRejected(() -> store().list(bucket, ""));
		assertRejected(() -> store().delete(bucket, "a.jpg"));
	}

	/**
	 * What a read says of an object matches what its write answered: stores that learn
	 * the time from a server's answer know it to the second.
	 */
	private static void assertDescribes(BlobInfo stored, BlobInfo written) {
		assertThat(stored.key()).isEqualTo(written.key());
		assertThat(stored.size()).isEqualTo(written.size());
		assertThat(stored.contentType()).isEqualTo(written.contentType());
		assertThat(stored.metadata()).isEqualTo(written.metadata());
		assertThat(Duration.between(stored.lastModified(), written.lastModified()).abs())
			.isLessThanOrEqualTo(Duration.ofSeconds(2));
	}

	private static void assertRejected(Runnable action) {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(action::run)
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

	/**
	 * Text as UTF-8 bytes.
	 * @param text the text
	 * @return its bytes
	 */
	protected static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
