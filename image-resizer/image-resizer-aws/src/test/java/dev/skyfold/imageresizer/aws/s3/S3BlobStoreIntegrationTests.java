package dev.skyfold.imageresizer.aws.s3;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStoreContract;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.testsupport.loopback.S3MockServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
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
 * Tests for {@link S3BlobStore} against S3Mock, an S3 API on loopback: the
 * {@link BlobStoreContract}, listing two keys a page, and how the objects look to S3
 * itself.
 */
class S3BlobStoreIntegrationTests extends BlobStoreContract {

	@RegisterExtension
	static final S3MockServer s3mock = new S3MockServer(BUCKET, OTHER_BUCKET);

	private static S3Client s3;

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

	@Override
	protected BlobStore createEmptyStore() {
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
		return new S3BlobStore(s3, 2);
	}

	@Test
	void keepsContentTypeParametersAsS3MockNormalisesThem() {
		// S3Mock drops the space of "text/plain; charset=utf-8", which S3 keeps.
		store().write(BUCKET, "b.txt", bytes("text"), "text/plain;charset=utf-8");
		assertThat(store().stat(BUCKET, "b.txt")).map(BlobInfo::contentType).hasValue("text/plain;charset=utf-8");
	}

	@Test
	void writesTheSourceKeyAsUserMetadata() {
		store().write(BUCKET, "resized/uploads/my photo+1.jpg", bytes("thumbnail"), "image/jpeg",
				Map.of("source-key", "uploads/my photo+1.jpg"));
		HeadObjectResponse head = s3
			.headObject((request) -> request.bucket(BUCKET).key("resized/uploads/my photo+1.jpg"));
		assertThat(head.contentType()).isEqualTo("image/jpeg");
		assertThat(head.metadata()).containsExactly(Map.entry("source-key", "uploads/my photo+1.jpg"));
	}

	@Test
	void writesMetadataThatNoHeaderCarriesAsItIsAsEncodedWord() {
		String key = "uploads/été 2024/日本 😀.jpg";
		store().write(BUCKET, "resized/" + key, bytes("thumbnail"), "image/jpeg", Map.of("source-key", key));
		String stored = s3.headObject((request) -> request.bucket(BUCKET).key("resized/" + key))
			.metadata()
			.get("source-key");
		assertThat(stored).startsWith("=?UTF-8?B?").endsWith("?=");
		assertThat(decodeWord(stored)).isEqualTo(key);
	}

	// S3 takes keys with backslashes too, which S3Mock's Tomcat refuses.
	@ParameterizedTest
	@ValueSource(strings = { "uploads/été 2024/photo+1.jpg", "with space.png", "a+b=c&d.jpg", "日本/写真.jpeg",
			"emoji/😀.png", "percent%20encoded.jpg", "question?mark#hash.jpg", "folder/" })
	void keepsKeysAsS3ListsThem(String key) {
		byte[] content = bytes("content of " + key);
		store().write(BUCKET, key, content, "image/jpeg");
		assertThat(content(BUCKET, key)).hasValue(content);
		assertThat(s3.listObjectsV2((request) -> request.bucket(BUCKET)).contents()).extracting(S3Object::key)
			.containsExactly(key);
	}

	@Test
	void refusesKeyLongerThanS3Allows() {
		String longest = "é".repeat(511) + "x".repeat(2);
		assertThat(longest.getBytes(StandardCharsets.UTF_8)).hasSize(1024);
		store().write(BUCKET, longest, bytes("x"), "image/jpeg");
		assertThat(content(BUCKET, longest)).hasValue(bytes("x"));
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> store().write(BUCKET, longest + "x", bytes("x"), "image/jpeg"))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

	@Test
	void failsWithTheS3ErrorWhenWritingToAMissingBucket() {
		assertThatExceptionOfType(S3Exception.class)
			.isThrownBy(() -> store().write(MISSING_BUCKET, "a.jpg", bytes("x"), "image/jpeg"))
			.satisfies((ex) -> assertThat(ex.statusCode()).isEqualTo(404));
	}

	@Test
	void findsTheServerThroughTheSdksEndpointSettingWithPathStyle() {
		System.setProperty("aws.endpointUrlS3", s3mock.endpoint().toString());
		System.setProperty("aws.region", "us-east-1");
		System.setProperty("aws.accessKeyId", "test");
		System.setProperty("aws.secretAccessKey", "test");
		try (S3Client configured = S3Clients.create(null, Duration.ofSeconds(5), Duration.ofSeconds(15))) {
			S3BlobStore viaSettings = new S3BlobStore(configured);
			viaSettings.write(BUCKET, "uploads/via settings.jpg", bytes("x"), "image/jpeg");
			assertThat(content(BUCKET, "uploads/via settings.jpg")).hasValue(bytes("x"));
		}
		finally {
			for (String property : List.of("aws.endpointUrlS3", "aws.region", "aws.accessKeyId",
					"aws.secretAccessKey")) {
				System.clearProperty(property);
			}
		}
	}

	private static String decodeWord(String word) {
		String encoded = word.substring("=?UTF-8?B?".length(), word.length() - "?=".length());
		return new String(Base64.getDecoder().decode(encoded), StandardCharsets.UTF_8);
	}

}
