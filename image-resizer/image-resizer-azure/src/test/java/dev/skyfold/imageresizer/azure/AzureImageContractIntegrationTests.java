package dev.skyfold.imageresizer.azure;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.logging.Level;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import dev.skyfold.azure.functions.SpringFunctionInstanceInjector;
import dev.skyfold.imageresizer.azure.blob.AzureBlobClients;
import dev.skyfold.imageresizer.azure.functions.ResizeImageHandler;
import dev.skyfold.testsupport.azure.AppSettings;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.ImageFunctionContract;
import dev.skyfold.testsupport.contract.ImageHost;
import dev.skyfold.testsupport.contract.ResizeLog;
import dev.skyfold.testsupport.contract.Verdict;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * The image functions' contract on Azure Functions, against Azurite: the adapter's
 * injector starts the application that {@code MAIN_CLASS} names, as the Java worker does,
 * and {@code resizeImage}, the Event Grid trigger, gets a blob-created event in the
 * CloudEvents schema, like the sample, for each object the contract uploads. The handler
 * returns nothing, so the outcome is read from what it logs to the invocation's context,
 * which is all the host reports.
 */
class AzureImageContractIntegrationTests extends ImageFunctionContract {

	private static final String CONTAINER = "skyfold";

	private static final String CONNECTION_STRING = "skyfold.image-resizer.azure.blob.connection-string";

	private static final JsonMapper json = JsonMapper.builder().build();

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	/** The system properties this class sets, with the values they had before. */
	private static final AppSettings settings = new AppSettings();

	private static @Nullable BlobContainerClient container;

	private static @Nullable ResizeImageHandler handler;

	@BeforeAll
	static void startTheFunctionApp() {
		container = AzureBlobClients.create(azurite.connectionString(), null, Duration.ofSeconds(10))
			.createBlobContainer(CONTAINER);
		// One application per JVM: another test class may have left its own running.
		SpringFunctionInstanceInjector.close();
		// The injector sets the logging system when it starts the application.
		settings.remember(SpringFunctionInstanceInjector.LOGGING_SYSTEM);
		settings.set(SpringFunctionInstanceInjector.MAIN_CLASS, ImageResizerAzureApplication.class.getName());
		settings.set(CONNECTION_STRING, azurite.connectionString());
		handler = new SpringFunctionInstanceInjector().getInstance(ResizeImageHandler.class);
	}

	@AfterAll
	static void stopTheFunctionApp() {
		SpringFunctionInstanceInjector.close();
		settings.restore();
	}

	@Override
	protected ImageHost imageHost() {
		return new ImageHost() {

			@Override
			public Host host() {
				return Host.AZURE;
			}

			@Override
			public void putObject(String key, byte[] content, String contentType) {
				container().getBlobClient(key)
					.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(content))
						.setHeaders(new BlobHttpHeaders().setContentType(contentType)), null, null);
			}

			@Override
			public Optional<byte[]> object(String key) {
				try {
					return Optional.of(container().getBlobClient(key).downloadContent().toBytes());
				}
				catch (BlobStorageException ex) {
					if (ex.getStatusCode() == 404) {
						return Optional.empty();
					}
					throw ex;
				}
			}

			@Override
			public Answer thumbnail(Caller caller, byte[] image) {
				throw new UnsupportedOperationException("The Azure function app has no thumbnail function");
			}

			@Override
			public Answer resizeImage(Caller caller, String key) {
				// Event Grid has no caller: the caller is ignored.
				TestExecutionContext context = new TestExecutionContext("resizeImage");
				try {
					handler().resizeImage(blobCreated(key), context);
				}
				catch (RuntimeException ex) {
					return Answer.refused(Verdict.FAILED, String.valueOf(ex.getMessage()));
				}
				return outcome(CONTAINER + "/" + key, context);
			}

		};
	}

	/**
	 * The event Event Grid delivers for a blob just written: the sample, about that blob,
	 * with the content type and length the blob has.
	 */
	private static String blobCreated(String key) {
		BlobClient blob = container().getBlobClient(key);
		BlobProperties properties = blob.getProperties();
		ObjectNode event = (ObjectNode) json.readTree(Samples.event("cloudevents-blob-created.json"));
		event.put("id", UUID.randomUUID().toString());
		event.put("subject", "/blobServices/default/containers/" + CONTAINER + "/blobs/" + key);
		event.put("time", Instant.now().toString());
		ObjectNode data = (ObjectNode) event.get("data");
		data.put("contentType", properties.getContentType());
		data.put("contentLength", properties.getBlobSize());
		data.put("eTag", properties.getETag());
		data.put("url", blob.getBlobUrl());
		return json.writeValueAsString(event);
	}

	/**
	 * What the handler logged about the event's one blob: a line per record, at INFO when
	 * it was resized or skipped, at WARNING when it was rejected.
	 */
	private static Answer outcome(String location, TestExecutionContext context) {
		List<String> messages = new ArrayList<>(context.messages(Level.INFO));
		messages.addAll(context.messages(Level.WARNING));
		messages.addAll(context.messages(Level.SEVERE));
		return ResizeLog.outcome(location, messages);
	}

	private static BlobContainerClient container() {
		if (container == null) {
			throw new IllegalStateException("Azurite's container is not created yet");
		}
		return container;
	}

	private static ResizeImageHandler handler() {
		if (handler == null) {
			throw new IllegalStateException("The function app is not started yet");
		}
		return handler;
	}

}
