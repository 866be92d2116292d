package dev.skyfold.imageresizer.aws.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Random;

import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.testsupport.loopback.S3MockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link S3BlobStore} against S3Mock, an S3 API on loopback: the semantics of
 * the local folder store, over S3.
 */
class S3BlobStoreIntegrationTests {

	private static final String BUCKET = "skyfold";

	private static final String OTHER_BUCKET = "other-bucket";

	private static final long MAX_READ_BYTES = 10L * 1024 * 1024;

	@RegisterExtension
	static final S3MockServer s3mock = new S3MockServer(BUCKET, OTHER_BUCKET);

	private static S3Client s3;

	private S3BlobStore store;

	@BeforeAll
	static void createClient() {
		s3 = S3Client.builder()
			.endpointOverride(s3mock.endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build();
	}

	@AfterAll
	static void closeClient() {
		s3.close();
	}

	@BeforeEach
	void emptyBuckets() {
		for (String bucket : List.of(BUCKET, OTHER_BUCKET)) {
			for (ListObjectsV2Response page : s3.listObjectsV2Paginator((request) -> request.bucket(bucket))) {
				if (!page.contents().isEmpty()) {
					s3.deleteObjects((request) -> request.bucket(bucket)
						.delete((delete) -> delete.objects(page.contents()
							.stream()
							.map((object) -> ObjectIdentifier.builder().key(object.key()).build())
							.toList())));
				}
			}
		}
		this.store = new S3BlobStore(s3, MAX_READ_BYTES);
	}

	@Test
	void writesReadsStatsAndListsAnObject() {
		Instant before = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		byte[] content = bytes("a small picture");
		BlobInfo written = this.store.write(BUCKET, "uploads/photo.jpg", content, "image/jpeg");
		assertThat(written.key()).isEqualTo("uploads/photo.jpg");
		assertThat(written.size()).isEqualTo(content.length);
		assertThat(written.contentType()).isEqualTo("image/jpeg");
		assertThat(written.lastModified()).isAfterOrEqualTo(before.minusSeconds(1));
		assertThat(this.store.read(BUCKET, "uploads/photo.jpg")).hasValue(content);
		assertThat(this.store.stat(BUCKET, "uploads/photo.jpg"))
			.hasValueSatisfying((stored) -> assertDescribes(stored, written));
		assertThat(this.store.list(BUCKET, "")).singleElement().satisfies((listed) -> assertDescribes(listed, written));
		assertThat(s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key("uploads/photo.jpg")).asByteArray())
			.isEqualTo(content);
	}

	@Test
	void keepsEachObjectsContentType() {
		this.store.write(BUCKET, "a.png", bytes("png"), "image/png");
		// S3Mock drops the space of "text/plain; charset=utf-8", which S3 keeps.
		this.store.write(BUCKET, "b.txt", bytes("text"), "text/plain;charset=utf-8");
		this.store.write(OTHER_BUCKET, "a.png", bytes("other"), "image/webp");
		assertThat(this.store.stat(BUCKET, "a.png")).map(BlobInfo::contentType).hasValue("image/png");
		assertThat(this.store.stat(BUCKET, "b.txt")).map(BlobInfo::contentType).hasValue("text/plain;charset=utf-8");
		assertThat(this.store.stat(OTHER_BUCKET, "a.png")).map(BlobInfo::contentType).hasValue("image/webp");
		assertThat(this.store.read(OTHER_BUCKET, "a.png")).hasValue(bytes("other"));
	}

	@Test
	void writesTheSourceKeyAsUserMetadata() {
		this.store.write(BUCKET, "resized/uploads/my photo+1.jpg", bytes("thumbnail"), "image/jpeg",
				Map.of("source-key", "uploads/my photo+1.jpg"));
		HeadObjectResponse head = s3
			.headObject((request) -> request.bucket(BUCKET).key("resized/uploads/my photo+1.jpg"));
		assertThat(head.contentType()).isEqualTo("image/jpeg");
		assertThat(head.metadata()).containsExactly(Map.entry("source-key", "uploads/my photo+1.jpg"));
	}

	@Test
	void writesMetadataThatNoHeaderCarriesAsItIsAsEncodedWord() {
		String key = "uploads/été 2024/日本 😀.jpg";
		this.store.write(BUCKET, "resized/" + key, bytes("thumbnail"), "image/jpeg", Map.of("source-key", key));
		String stored = s3.headObject((request) -> request.bucket(BUCKET).key("resized/" + key))
			.metadata()
			.get("source-key");
		assertThat(stored).startsWith("=?UTF-8?B?").endsWith("?=");
		assertThat(decodeWord(stored)).isEqualTo(key);
	}

	@Test
	void refusesMetadataNameS3CannotCarry() {
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.store.write(BUCKET, "a.jpg", bytes("x"), "image/jpeg", Map.of("Source Key", "a")));
		assertThat(this.store.list(BUCKET, "")).isEmpty();
	}

	// S3 takes keys with backslashes too, which S3Mock's Tomcat refuses.
	@ParameterizedTest
	@ValueSource(strings = { "uploads/été 2024/photo+1.jpg", "with space.png", "a+b=c&d.jpg", "日本/写真.jpeg",
			"deeply/nested/folders/of/keys/x.gif", "emoji/😀.png", "dots.in.name/..x/x..", "percent%20encoded.jpg",
			"question?mark#hash.jpg", "folder/" })
	void roundTripsKeysWithSpacesPlusUnicodeAndFolders(String key) {
		byte[] content = bytes("content of " + key);
		this.store.write(BUCKET, key, content, "image/jpeg");
		assertThat(this.store.read(BUCKET, key)).hasValue(content);
		assertThat(this.store.stat(BUCKET, key)).map(BlobInfo::key).hasValue(key);
		assertThat(this.store.list(BUCKET, "")).extracting(BlobInfo::key).containsExactly(key);
		assertThat(this.store.list(BUCKET, key)).extracting(BlobInfo::key).containsExactly(key);
		assertThat(s3.listObjectsV2((request) -> request.bucket(BUCKET)).contents()).extracting(S3Object::key)
			.containsExactly(key);
	}

	@Test
	void listsByPrefixInKeyOrder() {
		for (String key : List.of("uploads/b.jpg", "resized/uploads/a.jpg", "uploads/a.jpg", "uploads/été/c.jpg",
				"uploadsX.jpg", "resized/small/uploads/a.jpg", "a.jpg")) {
			this.store.write(BUCKET, key, bytes(key), "image/jpeg");
		}
		this.store.write(OTHER_BUCKET, "uploads/z.jpg", bytes("z"), "image/jpeg");
		assertThat(this.store.list(BUCKET, "")).extracting(BlobInfo::key)
			.containsExactly("a.jpg", "resized/small/uploads/a.jpg", "resized/uploads/a.jpg", "uploads/a.jpg",
					"uploads/b.jpg", "uploads/été/c.jpg", "uploadsX.jpg");
		assertThat(this.store.list(BUCKET, "uploads/")).extracting(BlobInfo::key)
			.containsExactly("uploads/a.jpg", "uploads/b.jpg", "uploads/été/c.jpg");
		assertThat(this.store.list(BUCKET, "resized/")).extracting(BlobInfo::key)
			.containsExactly("resized/small/uploads/a.jpg", "resized/uploads/a.jpg");
		assertThat(this.store.list(BUCKET, "nothing/")).isEmpty();
		assertThat(this.store.list(OTHER_BUCKET, "")).extracting(BlobInfo::key).containsExactly("uploads/z.jpg");
		assertThat(this.store.list(BUCKET, "uploads/a.jpg")).singleElement().satisfies((info) -> {
			assertThat(info.size()).isEqualTo(bytes("uploads/a.jpg").length);
			assertThat(info.contentType()).isEqualTo("image/jpeg");
		});
	}

	@Test
	void listsEveryPageOfALongListing() {
		S3BlobStore smallPages = new S3BlobStore(s3, MAX_READ_BYTES, 2);
		for (int i = 0; i < 5; i++) {
			smallPages.write(BUCKET, "many/" + i + ".txt", bytes("x"), "text/plain");
		}
		assertThat(smallPages.list(BUCKET, "many/")).extracting(BlobInfo::key)
			.containsExactly("many/0.txt", "many/1.txt", "many/2.txt", "many/3.txt", "many/4.txt");
		assertThat(smallPages.list(BUCKET, "many/")).extracting(BlobInfo::contentType).containsOnly("text/plain");
	}

	@Test
	void readsNothingForMissingKeyOrBucket() {
		this.store.write(BUCKET, "uploads/photo.jpg", bytes("x"), "image/jpeg");
		assertThat(this.store.read(BUCKET, "uploads/missing.jpg")).isEmpty();
		assertThat(this.store.stat(BUCKET, "uploads/missing.jpg")).isEmpty();
		assertThat(this.store.read("missing-bucket", "uploads/photo.jpg")).isEmpty();
		assertThat(this.store.stat("missing-bucket", "uploads/photo.jpg")).isEmpty();
		assertThat(this.store.list("missing-bucket", "")).isEmpty();
		assertThat(this.store.read(BUCKET, "uploads")).isEmpty();
		assertThat(this.store.read(BUCKET, "uploads/photo.jpg/thumb.jpg")).isEmpty();
	}

	@Test
	void overwriteReplacesContentAndContentType() {
		this.store.write(BUCKET, "uploads/photo", bytes("first, longer content"), "image/png");
		BlobInfo second = this.store.write(BUCKET, "uploads/photo", bytes("second"), "image/jpeg");
		assertThat(second.size()).isEqualTo(6);
		assertThat(second.contentType()).isEqualTo("image/jpeg");
		assertThat(this.store.read(BUCKET, "uploads/photo")).hasValue(bytes("second"));
		assertThat(this.store.list(BUCKET, "")).singleElement().satisfies((listed) -> assertDescribes(listed, second));
	}

	@Test
	void deletesObjectAndToleratesMissingOnes() {
		this.store.write(BUCKET, "uploads/a.png", bytes("png"), "image/png");
		this.store.delete(BUCKET, "uploads/a.png");
		assertThat(this.store.stat(BUCKET, "uploads/a.png")).isEmpty();
		this.store.delete(BUCKET, "uploads/never-written.png");
		this.store.delete("missing-bucket", "uploads/a.png");
		assertThat(this.store.list(BUCKET, "")).isEmpty();
	}

	@Test
	void storesEmptyObject() {
		BlobInfo info = this.store.write(BUCKET, "empty.bin", new byte[0], "application/octet-stream");
		assertThat(info.size()).isZero();
		assertThat(this.store.read(BUCKET, "empty.bin")).hasValueSatisfying((content) -> assertThat(content).isEmpty());
	}

	@Test
	void readsLargeObjectWhole() {
		byte[] content = new byte[5 * 1024 * 1024 + 17];
		new Random(42).nextBytes(content);
		this.store.write(BUCKET, "uploads/large.bin", content, "application/octet-stream");
		assertThat(this.store.read(BUCKET, "uploads/large.bin")).hasValue(content);
	}

	@Test
	void refusesToReadObjectOverTheLimit() {
		S3BlobStore small = new S3BlobStore(s3, 1000);
		small.write(BUCKET, "uploads/fits.bin", new byte[1000], "application/octet-stream");
		small.write(BUCKET, "uploads/large.bin", new byte[1001], "application/octet-stream");
		assertThat(small.read(BUCKET, "uploads/fits.bin"))
			.hasValueSatisfying((content) -> assertThat(content).hasSize(1000));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> small.read(BUCKET, "uploads/large.bin"))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE))
			.withMessage("Object too large: uploads/large.bin has 1001 bytes, over the limit of 1000 bytes");
		// The connection is still good for the next request.
		assertThat(small.read(BUCKET, "uploads/fits.bin")).isPresent();
	}

	@ParameterizedTest
	@ValueSource(strings = { "../x", "a/../../x", "..", ".", "./x", "a/./b", "a/..", "../other-bucket/x", "",
			"a\u0000b", "a\nb" })
	void refusesKeysThatAnHttpPathWouldResolveElsewhere(String key) {
		assertRejected(() -> this.store.write(BUCKET, key, bytes("escaped"), "image/jpeg"));
		assertRejected(() -> this.store.read(BUCKET, key));
		assertRejected(() -> this.store.stat(BUCKET, key));
		assertRejected(() -> this.store.delete(BUCKET, key));
		assertThat(this.store.list(BUCKET, "")).isEmpty();
		assertThat(this.store.list(OTHER_BUCKET, "")).isEmpty();
	}

	@Test
	void refusesKeyLongerThanS3Allows() {
		String longest = "é".repeat(511) + "x".repeat(2);
		assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
		this.store.write(BUCKET, longest, bytes("x"), "image/jpeg");
		assertThat(this.store.read(BUCKET, longest)).hasValue(bytes("x"));
		assertRejected(() -> this.store.write(BUCKET, longest + "x", bytes("x"), "image/jpeg"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "ab", "Skyfold", "sky_fold", "-skyfold", "skyfold-", "..", "../skyfold", "sky/fold",
			"sky\\fold", "/skyfold", "sky fold" })
	void refusesInvalidBucketNames(String bucket) {
		assertRejected(() -> this.store.write(bucket, "a.jpg", bytes("x"), "image/jpeg"));
		assertRejected(() -> this.store.read(bucket, "a.jpg"));
		assertRejected(() -> this.store.stat(bucket, "a.jpg"));
		assertRejected(() -> this.store.list(bucket, ""));
		assertRejected(() -> this.store.delete(bucket, "a.jpg"));
	}

	@Test
	void failsWithTheS3ErrorWhenWritingToAMissingBucket() {
		assertThatExceptionOfType(S3Exception.class)
			.isThrownBy(() -> this.store.write("missing-bucket", "a.jpg", bytes("x"), "image/jpeg"))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(404));
	}

	@Test
	void findsTheServerThroughTheSdksEndpointSettingWithPathStyle() {
		System.setProperty("aws.endpointUrlS3", s3mock.endpoint().toString());
		System.setProperty("aws.region", "us-east-1");
		System.setProperty("aws.accessKeyId", "test");
		System.setProperty("aws.secretAccessKey", "test");
		try (S3Client configured = S3Clients.create(null, Duration.ofSeconds(5))) {
			S3BlobStore viaSettings = new S3BlobStore(configured, MAX_READ_BYTES);
			viaSettings.write(BUCKET, "uploads/via settings.jpg", bytes("x"), "image/jpeg");
			assertThat(this.store.read(BUCKET, "uploads/via settings.jpg")).hasValue(bytes("x"));
		}
		finally {
			for (String property : List.of("aws.endpointUrlS3", "aws.region", "aws.accessKeyId",
					"aws.secretAccessKey")) {
				System.clearProperty(property);
			}
		}
	}

	/**
	 * What S3 says of an object matches what the write answered: the write's time is when
	 * S3 answered, to the second.
	 */
	private static void assertDescribes(BlobInfo stored, BlobInfo written) {
		assertThat(stored.key()).isEqualTo(written.key());
		assertThat(stored.size()).isEqualTo(written.size());
		assertThat(stored.contentType()).isEqualTo(written.contentType());
		assertThat(Duration.between(stored.lastModified(), written.lastModified()).abs())
			.isLessThanOrEqualTo(Duration.ofSeconds(2));
	}

	private static String decodeWord(String word) {
		String encoded = word.substring("=?UTF-8?B?".length(), word.length() - "?=".length());
		return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
	}

	private static void assertRejected(Runnable action) {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(action::run)
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

	private static byte[] bytes(String text) {
		return text.getBytes(StandardCharsets.UTF_8);
	}

}
