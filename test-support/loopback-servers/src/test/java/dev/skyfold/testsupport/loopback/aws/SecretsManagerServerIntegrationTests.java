package dev.skyfold.testsupport.loopback.aws;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

import dev.skyfold.testsupport.loopback.aws.SecretsManagerServer.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The local Secrets Manager answers GetSecretValue as AWS does, on the wire: the SDK's
 * side of the conversation is checked in the modules that read secrets.
 */
class SecretsManagerServerIntegrationTests {

	private static final HttpClient client = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private static final JsonMapper json = JsonMapper.builder().build();

	private SecretsManagerServer server;

	@BeforeEach
	void start() throws Exception {
		this.server = SecretsManagerServer.start();
	}

	@AfterEach
	void stop() {
		this.server.close();
	}

	@Test
	void answersTheSecretStringByNameAndByArn() throws Exception {
		String arn = this.server.putSecret("skyfold/fcm", "{\"type\":\"service_account\"}");

		assertThat(arn).matches("arn:aws:secretsmanager:us-east-1:123456789012:secret:skyfold/fcm-[A-Za-z0-9]{6}");
		for (String id : new String[] { "skyfold/fcm", arn }) {
			HttpResponse<String> answer = getSecretValue("{\"SecretId\":\"" + id + "\"}");
			assertThat(answer.statusCode()).isEqualTo(200);
			assertThat(answer.headers().firstValue("Content-Type")).hasValue("application/x-amz-json-1.1");
			JsonNode value = json.readTree(answer.body());
			assertThat(value.path("ARN").asString()).isEqualTo(arn);
			assertThat(value.path("Name").asString()).isEqualTo("skyfold/fcm");
			assertThat(value.path("SecretString").asString()).isEqualTo("{\"type\":\"service_account\"}");
			assertThat(value.path("VersionId").asString()).isNotBlank();
			assertThat(value.has("SecretBinary")).isFalse();
		}
	}

	@Test
	void answersABinarySecretWithoutASecretString() throws Exception {
		this.server.putBinarySecret("binary", new byte[] { 1, 2, 3 });

		JsonNode value = json.readTree(getSecretValue("{\"SecretId\":\"binary\"}").body());

		assertThat(value.has("SecretString")).isFalse();
		assertThat(Base64.getDecoder().decode(value.path("SecretBinary").asString())).containsExactly(1, 2, 3);
	}

	@Test
	void answersAnUnknownSecretWithResourceNotFound() throws Exception {
		this.server.putSecret("skyfold/fcm", "x");

		HttpResponse<String> answer = getSecretValue("{\"SecretId\":\"skyfold/other\"}");

		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(json.readTree(answer.body())).isEqualTo(json.readTree(
				"{\"__type\":\"ResourceNotFoundException\",\"message\":\"Secrets Manager can't find the specified secret.\"}"));
	}

	@Test
	void answersARefusedSecretWithTheScriptedError() throws Exception {
		this.server.refuse("locked", "AccessDeniedException", "Not for you");

		HttpResponse<String> answer = getSecretValue("{\"SecretId\":\"locked\"}");

		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(answer.headers().firstValue("X-Amzn-ErrorType")).hasValue("AccessDeniedException");
		assertThat(json.readTree(answer.body()).path("message").asString()).isEqualTo("Not for you");
	}

	@Test
	void replacesASecretOfTheSameName() throws Exception {
		String old = this.server.putSecret("rotated", "old");
		String current = this.server.putSecret("rotated", "new");

		assertThat(json.readTree(getSecretValue("{\"SecretId\":\"rotated\"}").body()).path("SecretString").asString())
			.isEqualTo("new");
		assertThat(getSecretValue("{\"SecretId\":\"" + current + "\"}").statusCode()).isEqualTo(200);
		assertThat(getSecretValue("{\"SecretId\":\"" + old + "\"}").statusCode()).isEqualTo(400);
	}

	@Test
	void refusesOtherOperationsAndMalformedRequests() throws Exception {
		assertThat(send(request("secretsmanager.PutSecretValue", "application/x-amz-json-1.1", "{\"SecretId\":\"x\"}")))
			.satisfies((answer) -> assertError(answer, "UnknownOperationException"));
		assertThat(send(request(SecretsManagerServer.GET_SECRET_VALUE, "application/json", "{\"SecretId\":\"x\"}")))
			.satisfies((answer) -> assertError(answer, "SerializationException"));
		assertThat(getSecretValue("not json")).satisfies((answer) -> assertError(answer, "SerializationException"));
		assertThat(getSecretValue("{}")).satisfies((answer) -> assertError(answer, "InvalidParameterException"));
	}

	@Test
	void recordsEveryRequestWithItsSignature() throws Exception {
		send(request(SecretsManagerServer.GET_SECRET_VALUE, "application/x-amz-json-1.1", "{\"SecretId\":\"a\"}")
			.header("Authorization", "AWS4-HMAC-SHA256 Credential=AKID/20250501/us-east-1/secretsmanager/aws4_request, "
					+ "SignedHeaders=host;x-amz-date, Signature=abc"));
		getSecretValue("{}");

		assertThat(this.server.requests()).hasSize(2);
		RecordedRequest first = this.server.requests().get(0);
		assertThat(first.method()).isEqualTo("POST");
		assertThat(first.path()).isEqualTo("/");
		assertThat(first.target()).isEqualTo("secretsmanager.GetSecretValue");
		assertThat(first.contentType()).isEqualTo("application/x-amz-json-1.1");
		assertThat(first.secretId()).isEqualTo("a");
		assertThat(first.credentialScope()).isEqualTo("AKID/20250501/us-east-1/secretsmanager/aws4_request");
		RecordedRequest second = this.server.requests().get(1);
		assertThat(second.secretId()).isNull();
		assertThat(second.credentialScope()).isNull();
	}

	@Test
	void takesSecretNamesOnly() {
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.putSecret("arn:aws:secretsmanager:x", "v"));
		assertThatIllegalArgumentException().isThrownBy(() -> this.server.putSecret(" ", "v"));
	}

	@Test
	void listensOnLoopbackAndStopsListeningOnClose() throws Exception {
		URI endpoint = this.server.endpoint();
		assertThat(endpoint.getHost()).isEqualTo("127.0.0.1");

		this.server.close();

		HttpRequest request = request(SecretsManagerServer.GET_SECRET_VALUE, "application/x-amz-json-1.1", "{}")
			.build();
		assertThatException().isThrownBy(() -> client.send(request, HttpResponse.BodyHandlers.ofString()));
	}

	private static void assertError(HttpResponse<String> answer, String type) {
		assertThat(answer.statusCode()).isEqualTo(400);
		assertThat(json.readTree(answer.body()).path("__type").asString()).isEqualTo(type);
	}

	private HttpResponse<String> getSecretValue(String body) throws Exception {
		return send(request(SecretsManagerServer.GET_SECRET_VALUE, "application/x-amz-json-1.1", body));
	}

	private HttpRequest.Builder request(String target, String contentType, String body) {
		return HttpRequest.newBuilder(this.server.endpoint().resolve("/"))
			.header("X-Amz-Target", target)
			.header("Content-Type", contentType)
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8))
			.timeout(Duration.ofSeconds(10));
	}

	private static HttpResponse<String> send(HttpRequest.Builder request) throws Exception {
		return client.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

}
