package dev.skyfold.imageresizer.gcp;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;

import com.google.cloud.NoCredentials;
import com.google.cloud.storage.Blob;
import com.google.cloud.storage.BlobId;
import com.google.cloud.storage.BlobInfo;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.skyfold.gcp.functions.CloudEventsEntryPoint;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.ImageFunctionContract;
import dev.skyfold.testsupport.contract.ImageHost;
import dev.skyfold.testsupport.contract.ResizeLog;
import dev.skyfold.testsupport.contract.Verdict;
import dev.skyfold.testsupport.loopback.gcs.CloudStorageServer;
import dev.skyfold.testsupport.loopback.google.FunctionsFrameworkInvoker;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The image functions' contract on Google Cloud Functions: the packaged function under
 * Google's Functions Framework invoker, fed the Cloud Storage CloudEvents Eventarc sends,
 * with its objects on a server speaking the Cloud Storage JSON API. The function answers
 * an event with a status only, so the outcome is read from the one line it logs per
 * object.
 */
class GcpImageContractIntegrationTests extends ImageFunctionContract {

	private static final String BUCKET = "skyfold";

	private static final String FINALIZED = "google.cloud.storage.object.v1.finalized";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private static CloudStorageServer gcs;

	private static FunctionsFrameworkInvoker function;

	private static Storage storage;

	@BeforeAll
	static void startTheFunction() {
		gcs = CloudStorageServer.start(BUCKET);
		storage = StorageOptions.http()
			.setHost(gcs.host())
			.setProjectId("skyfold-test")
			.setCredentials(NoCredentials.getInstance())
			.build()
			.getService();
		function = new FunctionsFrameworkInvoker(List.of(Path.of(System.getProperty("skyfold.gcp.function.jar"))),
				CloudEventsEntryPoint.class.getName(),
				Map.of("MAIN_CLASS", ImageResizerGcpApplication.class.getName(), "SPRING_CLOUD_FUNCTION_DEFINITION",
						"resizeImage", "SKYFOLD_IMAGE_RESIZER_GCP_STORAGE_HOST", gcs.host(),
						"SKYFOLD_IMAGE_RESIZER_GCP_STORAGE_PROJECT_ID", "skyfold-test"));
		function.start();
	}

	@AfterAll
	static void stopTheFunction() {
		if (function != null) {
			function.close();
		}
		if (gcs != null) {
			gcs.close();
		}
	}

	@Override
	protected ImageHost imageHost() {
		return new ImageHost() {

			@Override
			public Host host() {
				return Host.GCP;
			}

			@Override
			public void putObject(String key, byte[] content, String contentType) {
				storage.create(BlobInfo.newBuilder(BlobId.of(BUCKET, key)).setContentType(contentType).build(),
						content);
			}

			@Override
			public Optional<byte[]> object(String key) {
				return Optional.ofNullable(storage.get(BlobId.of(BUCKET, key))).map((blob) -> blob.getContent());
			}

			@Override
			public Answer thumbnail(Caller caller, byte[] image) {
				throw new UnsupportedOperationException("No thumbnail function on Google Cloud");
			}

			@Override
			public Answer resizeImage(Caller caller, String key) {
				int logged = function.logLines().size();
				HttpResponse<String> answer = send(finalized(key));
				List<String> messages = function.messagesSince(logged, "ResizeImageHandler");
				if (answer.statusCode() != 200) {
					return Answer.refused(Verdict.FAILED, "HTTP " + answer.statusCode() + ": " + messages);
				}
				return ResizeLog.outcome(BUCKET + "/" + key, messages);
			}

		};
	}

	/**
	 * A CloudEvent in binary mode, as Eventarc delivers a Cloud Storage event to a
	 * function.
	 */
	private static HttpRequest finalized(String key) {
		Blob blob = storage.get(BlobId.of(BUCKET, key));
		ObjectNode data = (ObjectNode) JSON.readTree(sample("storage-object-finalized.json"));
		data.put("name", key)
			.put("bucket", BUCKET)
			.put("contentType", blob.getContentType())
			.put("size", Long.toString(blob.getSize()))
			.put("generation", Long.toString(blob.getGeneration()))
			.put("id", BUCKET + "/" + key + "/" + blob.getGeneration());
		return HttpRequest.newBuilder(function.url())
			.timeout(Duration.ofSeconds(120))
			.header("Content-Type", "application/json")
			.header("ce-specversion", "1.0")
			.header("ce-id", UUID.randomUUID().toString())
			.header("ce-type", FINALIZED)
			.header("ce-source", "//storage.googleapis.com/projects/_/buckets/" + BUCKET)
			.header("ce-subject", "objects/" + key)
			.header("ce-time", Instant.now().toString())
			.POST(BodyPublishers.ofString(data.toString()))
			.build();
	}

	private static HttpResponse<String> send(HttpRequest request) {
		try {
			return HTTP.send(request, BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String sample(String name) {
		try (InputStream in = GcpImageContractIntegrationTests.class.getResourceAsStream("/events/" + name)) {
			if (in == null) {
				throw new IllegalStateException("No sample event " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
