package dev.skyfold.imageresizer.adapter.filesystem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.stream.Stream;

import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link FileSystemBlobStore}.
 */
class FileSystemBlobStoreTests {

	private static final String BUCKET = "skyfold";

	@TempDir
	Path temp;

	private Path root;

	private FileSystemBlobStore store;

	@BeforeEach
	void createStore() {
		this.root = this.temp.resolve("store");
		this.store = new FileSystemBlobStore(this.root);
	}

	@Test
	void writesReadsStatsAndListsAnObject() {
		Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		byte[] content = bytes("a small picture");
		BlobInfo written = this.store.write(BUCKET, "uploads/photo.jpg", content, "image/jpeg");
		assertThat(written.key()).isEqualTo("uploads/photo.jpg");
		assertThat(written.size()).isEqualTo(content.length);
		assertThat(written.contentType()).isEqualTo("image/jpeg");
		assertThat(written.lastModified()).isAfterOrEqualTo(before);
		assertThat(this.store.read(BUCKET, "uploads/photo.jpg")).hasValue(content);
		assertThat(this.store.stat(BUCKET, "uploads/photo.jpg")).hasValue(written);
		assertThat(this.store.list(BUCKET, "")).containsExactly(written);
		assertThat(this.root.resolve(BUCKET).resolve("uploads/photo.jpg")).hasBinaryContent(content);
	}

	@Test
	void keepsEachObjectsContentType() {
		this.store.write(BUCKET, "a.png", bytes("png"), "image/png");
		this.store.write(BUCKET, "b.txt", bytes("text"), "text/plain; charset=utf-8");
		this.store.write("other-bucket", "a.png", bytes("other"), "image/webp");
		assertThat(this.store.stat(BUCKET, "a.png")).map(BlobInfo::contentType).hasValue("image/png");
		assertThat(this.store.stat(BUCKET, "b.txt")).map(BlobInfo::contentType).hasValue("text/plain; charset=utf-8");
		assertThat(this.store.stat("other-bucket", "a.png")).map(BlobInfo::contentType).hasValue("image/webp");
		assertThat(this.store.read("other-bucket", "a.png")).hasValue(bytes("other"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "uploads/été 2024/photo+1.jpg", "with space.png", "a+b=c&d.jpg", "日本/写真.jpeg",
			"deeply/nested/folders/of/keys/x.gif", "emoji/😀.png", "dots.in.name/..x/x..", "percent%20encoded.jpg" })
	void roundTripsKeysWithSpacesPlusUnicodeAndFolders(String key) {
		byte[] content = bytes("content of " + key);
		this.store.write(BUCKET, key, content, "image/jpeg");
		assertThat(this.store.read(BUCKET, key)).hasValue(content);
		assertThat(this.store.stat(BUCKET, key)).map(BlobInfo::key).hasValue(key);
		assertThat(this.store.list(BUCKET, "")).extracting(BlobInfo::key).containsExactly(key);
		assertThat(this.store.list(BUCKET, key)).extracting(BlobInfo::key).containsExactly(key);
	}

	@Test
	void listsByPrefixInKeyOrderWithoutBookkeepingFiles() {
		for (String key : List.of("uploads/b.jpg", "resized/uploads/a.jpg", "uploads/a.jpg", "uploads/été/c.jpg",
				"uploadsX.jpg", "resized/small/uploads/a.jpg", "a.jpg")) {
			this.store.write(BUCKET, key, bytes(key), "image/jpeg");
		}
		this.store.write("other-bucket", "uploads/z.jpg", bytes("z"), "image/jpeg");
		assertThat(this.store.list(BUCKET, "")).extracting(BlobInfo::key)
			.containsExactly("a.jpg", "resized/small/uploads/a.jpg", "resized/uploads/a.jpg", "uploads/a.jpg",
					"uploads/b.jpg", "uploads/été/c.jpg", "uploadsX.jpg");
		assertThat(this.store.list(BUCKET, "uploads/")).extracting(BlobInfo::key)
			.containsExactly("uploads/a.jpg", "uploads/b.jpg", "uploads/été/c.jpg");
		assertThat(this.store.list(BUCKET, "resized/")).extracting(BlobInfo::key)
			.containsExactly("resized/small/uploads/a.jpg", "resized/uploads/a.jpg");
		assertThat(this.store.list(BUCKET, "nothing/")).isEmpty();
		assertThat(this.store.list("other-bucket", "")).extracting(BlobInfo::key).containsExactly("uploads/z.jpg");
		assertThat(this.store.list(BUCKET, "")).extracting(BlobInfo::key)
			.noneMatch((key) -> key.contains(".meta") || key.contains(".staging") || key.endsWith(".tmp"));
		assertThat(this.store.list(BUCKET, "uploads/a.jpg")).singleElement()
			.satisfies((info) -> assertThat(info.size()).isEqualTo(bytes("uploads/a.jpg").length));
	}

	@Test
	void listsNothingForBucketNeverWritten() {
		assertThat(this.store.list("empty-bucket", "")).isEmpty();
	}

	@Test
	void readsNothingForMissingKey() {
		this.store.write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertThat(this.store.read(BUCKET, "uploads/missing.jpg")).isEmpty();
		assertThat(this.store.stat(BUCKET, "uploads/missing.jpg")).isEmpty();
		assertThat(this.store.read("empty-bucket", "uploads/photo.jpg")).isEmpty();
		assertThat(this.store.stat("empty-bucket", "uploads/photo.jpg")).isEmpty();
	}

	@Test
	void readsNothingForFolderOfObjects() {
		this.store.write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertThat(this.store.read(BUCKET, "uploads")).isEmpty();
		assertThat(this.store.stat(BUCKET, "uploads")).isEmpty();
	}

	@Test
	void readsNothingForKeyBelowAnObject() {
		this.store.write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertThat(this.store.read(BUCKET, "uploads/photo.jpg/thumb.jpg")).isEmpty();
		assertThat(this.store.stat(BUCKET, "uploads/photo.jpg/thumb.jpg")).isEmpty();
	}

	@Test
	void refusesKeyThatRunsThroughAnotherObject() throws IOException {
		this.store.write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertRejected(() -> this.store.write(BUCKET, "uploads/photo.jpg/thumb.jpg", bytes("y"), "image/jpeg"));
		assertRejected(() -> this.store.write(BUCKET, "uploads", bytes("y"), "image/jpeg"));
		assertThat(this.store.list(BUCKET, "")).extracting(BlobInfo::key).containsExactly("uploads/photo.jpg");
		assertThat(this.store.read(BUCKET, "uploads/photo.jpg")).hasValue(bytes("x"));
		assertNoTemporaryFiles();
	}

	@ParameterizedTest
	@ValueSource(strings = { "../x", "a/../../x", "/etc/passwd", "a//b", "a\\b", "", "a/", ".", "..", "./x", "a/./b",
			"a/..", "..\\..\\x", "a\u0000b", "a\nb", "/", "//x" })
	void refusesKeysThatLeaveTheBucket(String key) throws IOException {
		assertRejected(() -> this.store.write(BUCKET, key, bytes("escaped"), "image/jpeg"));
		assertRejected(() -> this.store.read(BUCKET, key));
		assertRejected(() -> this.store.stat(BUCKET, key));
		try (Stream<Path> files = Files.walk(this.temp)) {
			assertThat(files.filter(Files::isRegularFile)).as("files written anywhere").isEmpty();
		}
	}

	@Test
	void refusesKeyLongerThanS3Allows() {
		// 1024 bytes of UTF-8, in segments a file system takes (255 bytes at most)
		String longest = ("é".repeat(120) + "/").repeat(4) + "x".repeat(60);
		assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
		this.store.write(BUCKET, longest, bytes("x"), "image/jpeg");
		assertThat(this.store.read(BUCKET, longest)).hasValue(bytes("x"));
		assertRejected(() -> this.store.write(BUCKET, longest + "x", bytes("x"), "image/jpeg"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ab", "Skyfold", "sky_fold", "-skyfold", "skyfold-", ".meta", ".staging", "..",
			"../skyfold", "sky/fold", "sky\\fold", "/skyfold", "sky fold" })
	void refusesInvalidBucketNames(String bucket) throws IOException {
		assertRejected(() -> this.store.write(bucket, "a.jpg", bytes("x"), "image/jpeg"));
		assertRejected(() -> this.store.read(bucket, "a.jpg"));
		assertRejected(() -> this.store.stat(bucket, "a.jpg"));
		assertRejected(() -> this.store.list(bucket, ""));
		try (Stream<Path> files = Files.walk(this.temp)) {
			assertThat(files.filter(Files::isRegularFile)).as("files written anywhere").isEmpty();
		}
	}

	@Test
	void overwriteReplacesContentAndContentType() {
		this.store.write(BUCKET, "uploads/photo", bytes("first, longer content"), "image/png");
		BlobInfo second = this.store.write(BUCKET, "uploads/photo", bytes("second"), "image/jpeg");
		assertThat(second.size()).isEqualTo(6);
		assertThat(second.contentType()).isEqualTo("image/jpeg");
		assertThat(this.store.read(BUCKET, "uploads/photo")).hasValue(bytes("second"));
		assertThat(this.store.list(BUCKET, "")).containsExactly(second);
	}

	@Test
	void leavesNoTemporaryFileBehind() throws IOException {
		for (int i = 0; i < 20; i++) {
			this.store.write(BUCKET, "uploads/photo-" + (i % 5) + ".jpg", bytes("content " + i), "image/jpeg");
		}
		this.store.write(BUCKET, "empty.bin", new byte[0], "application/octet-stream");
		assertNoTemporaryFiles();
		assertThat(this.store.list(BUCKET, "")).hasSize(6);
		try (Stream<Path> files = Files.walk(this.root.resolve(BUCKET))) {
			assertThat(files.filter(Files::isRegularFile)).hasSize(6);
		}
	}

	@Test
	void refusesKeySegmentLongerThanAFileName() {
		assertRejected(() -> this.store.write(BUCKET, "uploads/" + "a".repeat(256), bytes("x"), "image/jpeg"));
		this.store.write(BUCKET, "uploads/" + "a".repeat(255), bytes("x"), "image/jpeg");
		assertThat(this.store.read(BUCKET, "uploads/" + "a".repeat(255))).hasValue(bytes("x"));
	}

	@Test
	void deletesObjectAndItsContentType() {
		this.store.write(BUCKET, "uploads/a.png", bytes("png"), "image/png");
		this.store.delete(BUCKET, "uploads/a.png");
		assertThat(this.store.stat(BUCKET, "uploads/a.png")).isEmpty();
		this.store.write(BUCKET, "uploads/a.png", bytes("png"), "image/x-other");
		assertThat(this.store.stat(BUCKET, "uploads/a.png"))
			.hasValueSatisfying((info) -> assertThat(info.contentType()).isEqualTo("image/x-other"));
		this.store.delete(BUCKET, "uploads/never-written.png");
		assertRejected(() -> this.store.delete(BUCKET, "../outside"));
	}

	@Test
	void storesEmptyObject() {
		BlobInfo info = this.store.write(BUCKET, "empty.bin", new byte[0], "application/octet-stream");
		assertThat(info.size()).isZero();
		assertThat(this.store.read(BUCKET, "empty.bin")).hasValueSatisfying((content) -> assertThat(content).isEmpty());
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

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
