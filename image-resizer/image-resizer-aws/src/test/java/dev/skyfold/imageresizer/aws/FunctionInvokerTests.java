package dev.skyfold.imageresizer.aws;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.cloud.function.adapter.aws.FunctionInvoker;

import static dev.skyfold.imageresizer.aws.Samples.decode;
import static dev.skyfold.imageresizer.aws.Samples.event;
import static dev.skyfold.imageresizer.aws.Samples.jpeg;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Spring Cloud Function's Lambda entry point, {@link FunctionInvoker}, started in this
 * JVM the way the Lambda jar starts it ({@code MAIN_CLASS}, the jar's
 * {@code application.properties}), with the local folder store instead of S3: the events
 * reach {@code resizeImage} as their raw JSON.
 */
class FunctionInvokerTests {

	private static final Map<String, String> PROPERTIES = Map.of("MAIN_CLASS",
			ImageResizerLambdaApplication.class.getName(), "skyfold.image-resizer.aws.s3.enabled", "false");

	@TempDir
	static Path root;

	private static FunctionInvoker invoker;

	@BeforeAll
	static void startInvoker() {
		PROPERTIES.forEach(System::setProperty);
		System.setProperty("skyfold.image-resizer.storage.root", root.toString());
		invoker = new FunctionInvoker();
	}

	@AfterAll
	static void clearProperties() {
		PROPERTIES.keySet().forEach(System::clearProperty);
		System.clearProperty("skyfold.image-resizer.storage.root");
	}

	@Test
	void resizesTheObjectOfAnS3EventUnderItsDecodedKey() throws IOException {
		upload("uploads/my photo+1.jpg", jpeg(800, 400));
		String answer = invoke(event("s3-put.json"));
		assertThat(answer).contains("\"resized\":1")
			.contains("\"key\":\"uploads/my photo+1.jpg\"")
			.contains("\"written\":[\"resized/uploads/my photo+1.jpg\"]");
		assertThat(decode(Files.readAllBytes(root.resolve("skyfold/resized/uploads/my photo+1.jpg"))).getWidth())
			.isEqualTo(200);
	}

	@Test
	void resizesTheObjectOfAnEventBridgeEvent() throws IOException {
		upload("uploads/my photo+1.jpg", jpeg(400, 800));
		assertThat(invoke(event("eventbridge-object-created.json"))).contains("\"resized\":1");
		assertThat(decode(Files.readAllBytes(root.resolve("skyfold/resized/uploads/my photo+1.jpg"))).getHeight())
			.isEqualTo(200);
	}

	@Test
	void answersWhatHappenedToEachRecord() {
		String answer = invoke(event("s3-multiple-records.json"));
		assertThat(answer).contains("\"resized\":0", "\"skipped\":2", "the object no longer exists", "\"removed\":1");
	}

	@Test
	void failsOnEventOfAnotherShape() {
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> invoke("{\"hello\":\"world\"}".getBytes(StandardCharsets.UTF_8)))
			.satisfies((ex) -> assertThat(RejectedInputException.findIn(ex)).isNotNull()
				.extracting(RejectedInputException::rejection)
				.isEqualTo(Rejection.INVALID));
	}

	private static void upload(String key, byte[] content) throws IOException {
		Path file = root.resolve("skyfold").resolve(key);
		Files.createDirectories(file.getParent());
		Files.write(file, content);
	}

	private static String invoke(byte[] event) {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		try {
			invoker.handleRequest(new ByteArrayInputStream(event), out, null);
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		return out.toString(StandardCharsets.UTF_8);
	}

}
