package dev.skyfold.testsupport.loopback;

import java.net.URI;
import java.net.http.HttpResponse;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.skyfold.testsupport.loopback.Loopback.assertSecondServerOwnsItsPort;
import static dev.skyfold.testsupport.loopback.Loopback.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class S3MockServerIntegrationTests {

	@RegisterExtension
	static final S3MockServer s3 = new S3MockServer("photos", "thumbnails");

	@Test
	void servesTheInitialBucketsOverPlainHttpOnLoopback() throws Exception {
		assertThat(s3.endpoint()).isEqualTo(URI.create("http://127.0.0.1:" + s3.port()));
		HttpResponse<String> listing = get(s3.endpoint().resolve("/photos"));
		assertThat(listing.statusCode()).isEqualTo(200);
		assertThat(listing.body()).contains("<ListBucketResult").contains("<Name>photos</Name>");
		assertThat(get(s3.endpoint().resolve("/")).body()).contains("<Name>photos</Name>")
			.contains("<Name>thumbnails</Name>");
		assertThat(get(s3.endpoint().resolve("/missing")).statusCode()).isEqualTo(404);
	}

	@Test
	void runsEachServerOnItsOwnPortAndFreesItOnClose() {
		assertSecondServerOwnsItsPort(s3, new S3MockServer(),
				(other) -> assertThat(get(other.endpoint().resolve("/")).body()).contains("<ListAllMyBucketsResult")
					.doesNotContain("<Bucket>"));
	}

	@Test
	void rejectsAnInvalidBucketName() {
		assertThatIllegalArgumentException().isThrownBy(() -> new S3MockServer("Photos,thumbnails"))
			.withMessageContaining("Photos,thumbnails");
	}

}
