package dev.skyfold.imageresizer.aws.autoconfigure;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerAutoConfiguration;
import dev.skyfold.imageresizer.aws.lambda.ResizeImageEventFunction;
import dev.skyfold.imageresizer.domain.ResizeSummary;
import dev.skyfold.imageresizer.aws.s3.S3BlobStore;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.messaging.Message;
import org.springframework.messaging.support.MessageBuilder;

import static dev.skyfold.imageresizer.aws.Samples.event;
import static dev.skyfold.imageresizer.aws.Samples.jpeg;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ImageResizerAwsAutoConfiguration}: the beans the Lambda jar gets.
 */
class ImageResizerAwsAutoConfigurationTests {

	@TempDir
	Path root;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ImageResizerAwsAutoConfiguration.class,
					ImageResizerAutoConfiguration.class, ContextFunctionCatalogAutoConfiguration.class))
			.withSystemProperties("aws.region=us-east-1", "aws.accessKeyId=test", "aws.secretAccessKey=test")
			.withPropertyValues("skyfold.image-resizer.storage.root=" + this.root);
	}

	private static FunctionInvocationWrapper resizeImage(AssertableApplicationContext context) {
		FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class)
			.lookup(ResizeImageFunction.NAME, "application/json");
		assertThat(function).as("resizeImage in the catalog").isNotNull();
		return function;
	}

	@Test
	void makesResizeImageTheEventFunctionFromJsonBytesToSummary() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(ResizeImageFunction.NAME).isInstanceOf(ResizeImageEventFunction.class);
			assertThat(context).doesNotHaveBean(ResizeImageFunction.class);
			FunctionInvocationWrapper function = resizeImage(context);
			assertThat(function.isFunction()).isTrue();
			assertThat(function.getInputType()).isEqualTo(byte[].class);
			assertThat(function.getOutputType()).isEqualTo(ResizeSummary.class);
		});
	}

	@Test
	void keepsObjectsInS3ByDefault() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(BlobStore.class);
			assertThat(context).getBean(BlobStore.class).isInstanceOf(S3BlobStore.class);
			assertThat(context).hasSingleBean(S3Client.class);
			S3Client s3 = context.getBean(S3Client.class);
			assertThat(s3.serviceClientConfiguration().region()).isEqualTo(Region.US_EAST_1);
			assertThat(s3.serviceClientConfiguration().endpointOverride()).isEmpty();
			assertThat(s3.utilities().getUrl((url) -> url.bucket("skyfold").key("a b.jpg")))
				.hasToString("https://skyfold.s3.amazonaws.com/a%20b.jpg");
		});
	}

	@Test
	void honoursTheSdksEndpointSettingWithPathStyleAddressing() {
		runner().withSystemProperties("aws.endpointUrlS3=http://127.0.0.1:9000").run((context) -> {
			S3Client s3 = context.getBean(S3Client.class);
			assertThat(s3.serviceClientConfiguration().endpointOverride())
				.hasValue(URI.create("http://127.0.0.1:9000"));
			assertThat(s3.utilities().getUrl((url) -> url.bucket("skyfold").key("a b.jpg")))
				.hasToString("http://127.0.0.1:9000/skyfold/a%20b.jpg");
		});
	}

	@Test
	void honoursExplicitAddressingStyle() {
		runner().withSystemProperties("aws.endpointUrl=http://s3.example.test")
			.withPropertyValues("skyfold.image-resizer.aws.s3.path-style=false")
			.run((context) -> assertThat(
					context.getBean(S3Client.class).utilities().getUrl((url) -> url.bucket("skyfold").key("a.jpg")))
				.hasToString("http://skyfold.s3.example.test/a.jpg"));
		runner().withPropertyValues("skyfold.image-resizer.aws.s3.path-style=true")
			.run((context) -> assertThat(
					context.getBean(S3Client.class).utilities().getUrl((url) -> url.bucket("skyfold").key("a.jpg")))
				.hasToString("https://s3.amazonaws.com/skyfold/a.jpg"));
	}

	@Test
	void usesTheHostsS3Client() {
		S3Client own = S3Client.builder()
			.region(Region.EU_WEST_1)
			.httpClientBuilder(UrlConnectionHttpClient.builder())
			.build();
		runner().withBean(S3Client.class, () -> own).run((context) -> {
			assertThat(context).hasSingleBean(S3Client.class);
			assertThat(context.getBean(S3Client.class)).isSameAs(own);
			assertThat(context).getBean(BlobStore.class).isInstanceOf(S3BlobStore.class);
		});
		own.close();
	}

	@Test
	void fallsBackToTheLocalFolderStoreWhenS3IsOff() {
		runner().withPropertyValues("skyfold.image-resizer.aws.s3.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(S3Client.class);
			assertThat(context).getBean(BlobStore.class).isInstanceOf(FileSystemBlobStore.class);
			assertThat(context).getBean(ResizeImageFunction.NAME).isInstanceOf(ResizeImageEventFunction.class);
		});
	}

	@Test
	void resizesAnS3EventThroughTheCatalogAsTheLambdaAdapterHandsItOver() {
		runner()
			.withPropertyValues("skyfold.image-resizer.aws.s3.enabled=false", "skyfold.image-resizer.width=64",
					"skyfold.image-resizer.height=64")
			.run((context) -> {
				BlobStore store = context.getBean(BlobStore.class);
				store.write("skyfold", "uploads/my photo+1.jpg", jpeg(640, 480), "image/jpeg");
				// What FunctionInvoker hands the function: the event's bytes, no content
				// type.
				Message<byte[]> request = MessageBuilder.withPayload(event("s3-put.json")).build();
				Object output = resizeImage(context).apply(request);
				assertThat(output).isInstanceOf(Message.class);
				byte[] json = (byte[]) ((Message<?>) output).getPayload();
				assertThat(new String(json, StandardCharsets.UTF_8)).contains("\"resized\":1")
					.contains("\"status\":\"RESIZED\"")
					.contains("\"written\":[\"resized/uploads/my photo+1.jpg\"]");
				ResizeSummary summary = context.getBean(JsonMapper.class).fromJson(json, ResizeSummary.class);
				assertThat(summary.resized()).isOne();
				assertThat(store.stat("skyfold", "resized/uploads/my photo+1.jpg")).map(BlobInfo::size)
					.hasValueSatisfying((size) -> assertThat(size).isPositive());
			});
	}

	@Test
	void leavesTheHostsOwnResizeImageAlone() {
		ResizeImageEventFunction own = new ResizeImageEventFunction((event) -> {
			throw new IllegalStateException("not called");
		});
		runner().withBean(ResizeImageFunction.NAME, ResizeImageEventFunction.class, () -> own)
			.run((context) -> assertThat(context.getBean(ResizeImageFunction.NAME)).isSameAs(own));
	}

}
