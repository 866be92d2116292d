package dev.skyfold.imageresizer.aws;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Optional;

import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.ImageFunctionContract;
import dev.skyfold.testsupport.contract.ImageHost;
import dev.skyfold.testsupport.contract.Verdict;
import dev.skyfold.testsupport.loopback.S3MockServer;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction;
import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import static dev.skyfold.imageresizer.aws.Samples.eventText;

/**
 * The image functions' contract on AWS Lambda: the packaged Lambda jar run by AWS's
 * runtime interface client as {@link ResizeImageLambdaIntegrationTests} runs it, with
 * S3Mock for S3, each {@code resizeImage} call an S3 {@code ObjectCreated} notification.
 */
class LambdaImageContractIntegrationTests extends ImageFunctionContract {

	private static final String BUCKET = "skyfold";

	private static final Duration TIMEOUT = Duration.ofSeconds(90);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final S3MockServer s3mock = new S3MockServer(BUCKET);

	private static S3Client s3;

	private static LambdaFunction function;

	@BeforeAll
	static void startFunction() {
		s3 = S3Client.builder()
			.endpointOverride(s3mock.endpoint())
			.forcePathStyle(true)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build();
		function = ResizeImageLambdaIntegrationTests.start(s3mock.endpoint().toString());
	}

	@AfterAll
	static void stopFunction() {
		if (function != null) {
			function.close();
		}
		if (s3 != null) {
			s3.close();
		}
	}

	@Override
	protected ImageHost imageHost() {
		return new ImageHost() {

			@Override
			public Host host() {
				return Host.LAMBDA;
			}

			@Override
			public void putObject(String key, byte[] content, String contentType) {
				s3.putObject((request) -> request.bucket(BUCKET).key(key).contentType(contentType),
						RequestBody.fromBytes(content));
			}

			@Override
			public Optional<byte[]> object(String key) {
				try {
					return Optional.of(s3.getObjectAsBytes((request) -> request.bucket(BUCKET).key(key)).asByteArray());
				}
				catch (NoSuchKeyException ex) {
					return Optional.empty();
				}
			}

			@Override
			public Answer thumbnail(Caller caller, byte[] image) {
				throw new UnsupportedOperationException("Lambda does not expose thumbnail: " + Host.LAMBDA);
			}

			@Override
			public Answer resizeImage(Caller caller, String key) {
				return answer(function.invoke(objectCreated(key).toString(), TIMEOUT));
			}

		};
	}

	/** The sample S3 notification, about the given key of the bucket. */
	private static JsonNode objectCreated(String key) {
		ObjectNode event = (ObjectNode) JSON.readTree(eventText("s3-put.json"));
		ObjectNode object = (ObjectNode) event.path("Records").get(0).path("s3").path("object");
		object.put("key", s3EncodedKey(key));
		return event;
	}

	/**
	 * A key as S3 writes it into a notification: form-URL-encoded (a space as {@code +}),
	 * its slashes left as they are.
	 */
	private static String s3EncodedKey(String key) {
		return URLEncoder.encode(key, StandardCharsets.UTF_8).replace("%2F", "/");
	}

	/**
	 * The one record of the function's {@code ResizeSummary}: resized or skipped is done;
	 * rejected is what S3 notifications make of bad input (logged, not retried); a failed
	 * record fails the invocation, for Lambda to deliver it again.
	 */
	private static Answer answer(Invocation invocation) {
		if (invocation.failed()) {
			return Answer.refused(Verdict.FAILED,
					JSON.readTree(invocation.body()).path("errorMessage").asString(invocation.body()));
		}
		JsonNode record = JSON.readTree(invocation.body()).path("records").path(0);
		String status = record.path("status").asString("");
		String reason = record.path("reason").asString("");
		if (status.equals("RESIZED") || status.equals("SKIPPED")) {
			return Answer.done(JsonNodeFactory.instance.objectNode()
				.put("outcome", status)
				.put("reason", reason)
				.set("written", record.path("written")));
		}
		if (status.equals("REJECTED")) {
			return Answer.refused(Verdict.REJECTED, reason);
		}
		return Answer.refused(Verdict.FAILED, "Unexpected answer: " + invocation.body());
	}

}
