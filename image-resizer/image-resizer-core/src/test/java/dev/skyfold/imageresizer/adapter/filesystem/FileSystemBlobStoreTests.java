package dev.skyfold.imageresizer.adapter.filesystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.Stream;

import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStoreContract;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FileSystemBlobStore}: the {@link BlobStoreContract}, and what is
 * particular to a folder: files and their bookkeeping, and the keys and buckets a file
 * system cannot take.
 */
class FileSystemBlobStoreTests extends BlobStoreContract {

	@TempDir
	Path temp;

	private Path root;

	@Override
	protected BlobStore createEmptyStore() {
		this.root = this.temp.resolve("store");
		return new FileSystemBlobStore(this.root);
	}

	@Test
	void keepsEachObjectAsAFileInItsBucketFolderWithItsContentTypeAsGiven() {
		byte[] content = bytes("a small picture");
		store().write(BUCKET, "uploads/photo.jpg", content, "text/plain; charset=utf-8");
		assertThat(this.root.resolve(BUCKET).resolve("uploads/photo.jpg")).hasBinaryContent(content);
		assertThat(store().stat(BUCKET, "uploads/photo.jpg")).map(BlobInfo::contentType)
			.hasValue("text/plain; charset=utf-8");
	}

	@Test
	void readsTheContentTypeOfObjectsWrittenBeforeMetadataWasKept() throws IOException {
		store().write(BUCKET, "uploads/old.png", bytes("png"), "image/png", Map.of("source-key", "x"));
		Files.writeString(this.root.resolve(".meta").resolve(BUCKET).resolve("uploads/old.png"), "image/png");
		assertThat(store().stat(BUCKET, "uploads/old.png")).hasValueSatisfying((info) -> {
			assertThat(info.contentType()).isEqualTo("image/png");
			assertThat(info.metadata()).isEmpty();
		});
	}

	@Test
	void refusesAContentTypeThatWouldBreakItsLineAndStoresNothing() {
		assertRejected(() -> store().write(BUCKET, "a.jpg", bytes("x"), "image/jpeg\nsource-key: forged"));
		assertThat(store().stat(BUCKET, "a.jpg")).isEmpty();
	}

	@Test
	void listsNoBookkeepingFiles() {
		store().write(BUCKET, "uploads/a.jpg", bytes("a"), "image/jpeg", Map.of("source-key", "a"));
		store().write(BUCKET, "empty.bin", new byte[0], "application/octet-stream");
		assertThat(store().list(BUCKET, "")).extracting(BlobInfo::key)
			.containsExactly("empty.bin", "uploads/a.jpg")
			.noneMatch((key) -> key.contains(".meta") || key.contains(".staging") || key.endsWith(".tmp"));
	}

	@Test
	void removesWhatACrashedWriterLeftInItsStagingFolderWhenOpened() throws IOException {
		store().write(BUCKET, "uploads/kept.jpg", bytes("kept"), "image/jpeg");
		Path staging = Files.createDirectories(this.root.resolve(".staging"));
		Files.write(staging.resolve("object-123.tmp"), new byte[1024]);

		FileSystemBlobStore reopened = new FileSystemBlobStore(this.root);

		try (Stream<Path> leftovers = Files.list(staging)) {
			assertThat(leftovers).isEmpty();
		}
		assertThat(reopened.read(BUCKET, "uploads/kept.jpg", Blob.MAX_BYTES).map(Blob::content))
			.hasValue(bytes("kept"));
	}

	@Test
	void neitherFollowsNorListsSymbolicLinksInsideTheBucket() throws IOException {
		Path outside = Files.createDirectories(this.temp.resolve("outside"));
		Files.writeString(outside.resolve("secret.txt"), "not in the bucket");
		store().write(BUCKET, "uploads/a.jpg", bytes("a"), "image/jpeg");
		Path bucket = this.root.resolve(BUCKET);
		Files.createSymbolicLink(bucket.resolve("linked"), outside);
		Files.createSymbolicLink(bucket.resolve("uploads/secret.txt"), outside.resolve("secret.txt"));
		assertRejected(() -> store().read(BUCKET, "linked/secret.txt", Blob.MAX_BYTES));
		assertRejected(() -> store().read(BUCKET, "uploads/secret.txt", Blob.MAX_BYTES));
		assertRejected(() -> store().write(BUCKET, "linked/planted.jpg", bytes("x"), "image/jpeg"));
		assertRejected(() -> store().write(BUCKET, "uploads/secret.txt", bytes("x"), "image/jpeg"));
		assertRejected(() -> store().delete(BUCKET, "uploads/secret.txt"));
		assertThat(store().list(BUCKET, "")).extracting(BlobInfo::key).containsExactly("uploads/a.jpg");
		try (Stream<Path> files = Files.list(outside)) {
			assertThat(files).containsExactly(outside.resolve("secret.txt"));
		}
		assertThat(Files.readString(outside.resolve("secret.txt"))).isEqualTo("not in the bucket");
	}

	@Test
	void refusesKeyThatRunsThroughAnotherObject() throws IOException {
		store().write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertRejected(() -> store().write(BUCKET, "uploads/photo.jpg/thumb.jpg", bytes("y"), "image/jpeg"));
		assertRejected(() -> store().write(BUCKET, "uploads", bytes("y"), "image/jpeg"));
		assertThat(store().list(BUCKET, "")).extracting(BlobInfo::key).containsExactly("uploads/photo.jpg");
		assertThat(content(BUCKET, "uploads/photo.jpg")).hasValue(bytes("x"));
		assertNoTemporaryFiles();
	}

	@ParameterizedTest
	@ValueSource(strings = { "../x", "a/../../x", "/etc/passwd", "a//b", "a\\b", "", "a/", ".", "..", "./x", "a/./b",
			"a/..", "..\\..\\x", "a\u0000b", "a\nb", "/", "//x" })
	void refusesKeysThatLeaveTheBucket(String key) throws IOException {
		assertRejected(() -> store().write(BUCKET, key, bytes("escaped"), "image/jpeg"));
		assertRejected(() -> store().read(BUCKET, key, Blob.MAX_BYTES));
		assertRejected(() -> store().stat(BUCKET, key));
		try (Stream<Path> files = Files.walk(this.temp)) {
			assertThat(files.filter(Files::isRegularFile)).as("files written anywhere").isEmpty();
		}
	}

	@Test
	void refusesKeyLongerThanS3Allows() {
		// 1024 bytes of UTF-8, in segments a file system takes (255 bytes at most)
		String longest = ("é".repeat(120) + "/").repeat(4) + "x".repeat(60);
		assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
		store().write(BUCKET, longest, bytes("x"), "image/jpeg");
		assertThat(content(BUCKET, longest)).hasValue(bytes("x"));
		assertRejected(() -> store().write(BUCKET, longest + "x", bytes("x"), "image/jpeg"));
	}

	@ParameterizedTest
	@ValueSource(strings = { ".meta", ".staging" })
	void refusesTheBookkeepingFoldersAsBuckets(String bucket) throws IOException {
		assertRejected(() -> store().write(bucket, "a.jpg", bytes("x"), "image/jpeg"));
		assertRejected(() -> store().read(bucket, "a.jpg", Blob.MAX_BYTES));
		assertRejected(() -> store().stat(bucket, "a.jpg"));
		assertRejected(() -> store().list(bucket, ""));
		try (Stream<Path> files = Files.walk(this.temp)) {
			assertThat(files.filter(Files::isRegularFile)).as("files written anywhere").isEmpty();
		}
	}

	@Test
	void leavesNoTemporaryFileBehind() throws IOException {
		for (int i = 0; i < 20; i++) {
			store().write(BUCKET, "uploads/photo-" + (i % 5) + ".jpg", bytes("content " + i), "image/jpeg");
		}
		store().write(BUCKET, "empty.bin", new byte[0], "application/octet-stream");
		assertNoTemporaryFiles();
		assertThat(store().list(BUCKET, "")).hasSize(6);
		try (Stream<Path> files = Files.walk(this.root.resolve(BUCKET))) {
			assertThat(files.filter(Files::isRegularFile)).hasSize(6);
		}
	}

	@Test
	void refusesKeySegmentLongerThanAFileName() {
		assertRejected(() -> store().write(BUCKET, "uploads/" + "a".repeat(256), bytes("x"), "image/jpeg"));
		store().write(BUCKET, "uploads/" + "a".repeat(255), bytes("x"), "image/jpeg");
		assertThat(content(BUCKET, "uploads/" + "a".repeat(255))).hasValue(bytes("x"));
	}

	@Test
	void deletesAnObjectsDescriptionWithIt() {
		store().write(BUCKET, "uploads/a.png", bytes("png"), "image/png", Map.of("source-key", "a"));
		store().delete(BUCKET, "uploads/a.png");
		assertThat(this.root.resolve(".meta").resolve(BUCKET).resolve("uploads/a.png")).doesNotExist();
		assertRejected(() -> store().delete(BUCKET, "../outside"));
	}

	private void assertNoTemporaryFiles() throws IOException {
		try (Stream<Path> files = Files.walk(this.temp)) {
			assertThat(files.filter(Files::isRegularFile))
				.noneMatch((file) -> file.startsWith(this.root.resolve(".staging"))
						|| file.getFileName().toString().endsWith(".tmp"));
		}
	}

	private static void assertRejected(Runnable action) {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(action::run)
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

}
