package dev.skyfold.testsupport.loopback;

import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Base64;
import java.util.Locale;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static dev.skyfold.testsupport.loopback.Loopback.assertSecondServerOwnsItsPort;
import static dev.skyfold.testsupport.loopback.Loopback.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class AzuriteServerIntegrationTests {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	@Test
	void servesBlobAndTableOnLoopbackForTheDevelopmentAccount() {
		assertThat(azurite.blobEndpoint())
			.isEqualTo(URI.create("http://127.0.0.1:" + azurite.port() + "/devstoreaccount1"));
		assertThat(azurite.tableEndpoint().getHost()).isEqualTo("127.0.0.1");
		assertThat(azurite.tableEndpoint().getPort()).isNotEqualTo(azurite.port());
		assertThat(azurite.connectionString()).contains("AccountName=devstoreaccount1;")
			.contains("AccountKey=" + AzuriteServer.ACCOUNT_KEY + ";")
			.contains("BlobEndpoint=" + azurite.blobEndpoint() + ";")
			.contains("TableEndpoint=" + azurite.tableEndpoint() + ";");
	}

	@Test
	void createsAndListsContainersForRequestsSignedWithTheAccountKey() throws Exception {
		HttpResponse<String> created = send(signed("PUT", azurite.blobEndpoint(), "/photos", "restype=container",
				HttpRequest.BodyPublishers.noBody()));
		assertThat(created.statusCode()).as(created.body()).isEqualTo(201);

		HttpResponse<String> listed = send(
				signed("GET", azurite.blobEndpoint(), "", "comp=list", HttpRequest.BodyPublishers.noBody()));
		assertThat(listed.statusCode()).as(listed.body()).isEqualTo(200);
		assertThat(listed.body()).contains("<Name>photos</Name>");
	}

	@Test
	void rejectsRequestsWithoutCredentials() throws Exception {
		HttpResponse<String> answer = Loopback.get(URI.create(azurite.blobEndpoint() + "?comp=list"));
		assertThat(answer.statusCode()).isEqualTo(403);
	}

	@Test
	void runsEachServerOnItsOwnPortAndFreesItOnClose() {
		assertSecondServerOwnsItsPort(azurite, new AzuriteServer(), (other) -> {
			assertThat(other.tableEndpoint().getPort()).isNotEqualTo(azurite.tableEndpoint().getPort());
			assertThat(send(signed("GET", other.blobEndpoint(), "", "comp=list", HttpRequest.BodyPublishers.noBody()))
				.statusCode()).isEqualTo(200);
		});
	}

	@Test
	void saysToStartAServerThatIsNotRunning() {
		AzuriteServer stopped = new AzuriteServer();
		assertThat(stopped.log()).isEmpty();
		assertThatIllegalStateException().isThrownBy(stopped::connectionString)
			.withMessage("The Azurite server is not running; call start() first");
	}

	/**
	 * A Blob service request with a Shared Key signature, as the Azure SDKs send it (for
	 * requests without content, with a single query parameter).
	 */
	private static HttpRequest.Builder signed(String method, URI account, String path, String query,
			HttpRequest.BodyPublisher body) throws Exception {
		String date = DateTimeFormatter.RFC_1123_DATE_TIME.withLocale(Locale.ROOT)
			.format(ZonedDateTime.now(ZoneOffset.UTC));
		String version = "2021-12-02";
		String[] parameter = query.split("=", 2);
		String stringToSign = method + "\n\n\n\n\n\n\n\n\n\n\n\n" + "x-ms-date:" + date + "\nx-ms-version:" + version
				+ "\n/" + AzuriteServer.ACCOUNT_NAME + "/" + AzuriteServer.ACCOUNT_NAME + path + "\n" + parameter[0]
				+ ":" + parameter[1];
		Mac mac = Mac.getInstance("HmacSHA256");
		mac.init(new SecretKeySpec(Base64.getDecoder().decode(AzuriteServer.ACCOUNT_KEY), "HmacSHA256"));
		String signature = Base64.getEncoder()
			.encodeToString(mac.doFinal(stringToSign.getBytes(StandardCharsets.UTF_8)));
		return HttpRequest.newBuilder(URI.create(account + path + "?" + query))
			.header("x-ms-date", date)
			.header("x-ms-version", version)
			.header("Authorization", "SharedKey " + AzuriteServer.ACCOUNT_NAME + ":" + signature)
			.method(method, body);
	}

}
