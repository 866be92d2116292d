package dev.skyfold.imageresizer.autoconfigure;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

import javax.imageio.ImageIO;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ReconcileThumbnailsFunction;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.application.ThumbnailFunction;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.ImageOperation;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.domain.ResizeResult.Outcome;
import dev.skyfold.imageresizer.domain.WrittenObject;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.kernel.access.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.cloud.function.context.config.RoutingFunction;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.core.ResolvableType;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static dev.skyfold.imageresizer.TestImages.decode;
import static dev.skyfold.imageresizer.TestImages.fixture;
import static dev.skyfold.imageresizer.TestImages.sniffFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The deployment contract: the function catalog of any host exposes {@code thumbnail} and
 * {@code resizeImage} with their input and output types, as the auto-configuration
 * registers them.
 */
class FunctionCatalogContractTests {

	private static final String BUCKET = "skyfold";

	@TempDir
	Path root;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ImageResizerAutoConfiguration.class,
					ContextFunctionCatalogAutoConfiguration.class))
			.withPropertyValues("skyfold.image-resizer.storage.root=" + this.root);
	}

	private static FunctionInvocationWrapper lookup(AssertableApplicationContext context, String name) {
		FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class).lookup(name);
		assertThat(function).as("function '%s' in the catalog", name).isNotNull();
		return function;
	}

	@Test
	void exposesThumbnailFromBytesToMessageOfBytes() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(ThumbnailFunction.NAME).isInstanceOf(ThumbnailFunction.class);
			FunctionInvocationWrapper function = lookup(context, "thumbnail");
			assertThat(function.isFunction()).isTrue();
			assertThat(function.getFunctionDefinition()).isEqualTo("thumbnail");
			assertThat(function.getInputType()).isEqualTo(byte[].class);
			ResolvableType output = ResolvableType.forType(function.getOutputType());
			assertThat(output.resolve()).isEqualTo(Message.class);
			assertThat(output.getGeneric(0).resolve()).isEqualTo(byte[].class);
		});
	}

	@Test
	void exposesResizeImageFromObjectCreatedToResizeResult() {
		runner().run((context) -> {
			assertThat(context).getBean(ResizeImageFunction.NAME).isInstanceOf(ResizeImageFunction.class);
			FunctionInvocationWrapper function = lookup(context, "resizeImage");
			assertThat(function.isFunction()).isTrue();
			assertThat(function.getFunctionDefinition()).isEqualTo("resizeImage");
			assertThat(function.getInputType()).isEqualTo(ObjectCreated.class);
			assertThat(function.getOutputType()).isEqualTo(ResizeResult.class);
		});
	}

	@Test
	void invokesThumbnailThroughTheCatalog() {
		runner().run((context) -> {
			Object output = lookup(context, "thumbnail").apply(fixture("tall.jpg"));
			assertThat(output).isInstanceOf(Message.class);
			Message<?> message = (Message<?>) output;
			assertThat(message.getPayload()).isInstanceOf(byte[].class);
			byte[] payload = (byte[]) message.getPayload();
			BufferedImage image = decode(payload);
			assertThat(sniffFormat(payload)).isEqualTo("jpeg");
			assertThat(String.valueOf(message.getHeaders().get(MessageHeaders.CONTENT_TYPE))).isEqualTo("image/jpeg");
			assertThat(message.getHeaders().get(ThumbnailFunction.WIDTH_HEADER)).isEqualTo(image.getWidth());
			assertThat(message.getHeaders().get(ThumbnailFunction.HEIGHT_HEADER)).isEqualTo(200);
		});
	}

	@Test
	void invokesResizeImageThroughTheCatalogWithTheRecord() {
		runner().run((context) -> {
			context.getBean(BlobStore.class).write(BUCKET, "uploads/a.png", fixture("wide.png"), "image/png");
			Object output = lookup(context, "resizeImage").apply(new ObjectCreated(BUCKET, "uploads/a.png"));
			assertThat(output).isInstanceOf(ResizeResult.class);
			ResizeResult result = (ResizeResult) output;
			assertThat(result.outcome()).isEqualTo(Outcome.RESIZED);
			assertThat(result.written()).extracting(WrittenObject::key).containsExactly("resized/uploads/a.png");
			assertThat(new FileSystemBlobStore(this.root).stat(BUCKET, "resized/uploads/a.png"))
				.map(BlobInfo::contentType)
				.hasValue("image/png");
		});
	}

	@Test
	void convertsJsonMessageToObjectCreated() {
		runner().run((context) -> {
			context.getBean(BlobStore.class).write(BUCKET, "uploads/a.png", fixture("wide.png"), "image/png");
			Message<byte[]> event = MessageBuilder.withPayload(sampleEvent("object-created.json"))
				.setHeader(MessageHeaders.CONTENT_TYPE, "application/json")
				.build();
			Object output = lookup(context, "resizeImage").apply(event);
			assertThat(output).isInstanceOf(ResizeResult.class);
			ResizeResult result = (ResizeResult) output;
			assertThat(result.bucket()).isEqualTo(BUCKET);
			assertThat(result.key()).isEqualTo("uploads/a.png");
			assertThat(result.outcome()).isEqualTo(Outcome.RESIZED);
			assertThat(result.sourceWidth()).isEqualTo(800);
			assertThat(result.written()).containsExactly(new WrittenObject("resized/uploads/a.png", "image/png",
					context.getBean(BlobStore.class).stat(BUCKET, "resized/uploads/a.png").orElseThrow().size(), 200,
					50));
		});
	}

	@Test
	void convertsJsonMessageWithAllFieldsToObjectCreated() {
		runner().run((context) -> {
			context.getBean(BlobStore.class)
				.write(BUCKET, "uploads/notes.txt", fixture("not-an-image.txt"), "text/plain");
			Message<byte[]> event = MessageBuilder
				.withPayload(("{\"bucket\":\"skyfold\",\"key\":\"uploads/notes.txt\","
						+ "\"size\":147,\"contentType\":\"text/plain\"}")
					.getBytes(StandardCharsets.UTF_8))
				.setHeader(MessageHeaders.CONTENT_TYPE, "application/json")
				.build();
			ResizeResult result = (ResizeResult) lookup(context, "resizeImage").apply(event);
			assertThat(result.outcome()).isEqualTo(Outcome.SKIPPED);
			assertThat(result.reason()).contains("text/plain");
		});
	}

	@Test
	void rejectsJsonEventWithoutKeyAsInvalid() {
		runner().run((context) -> {
			Message<byte[]> event = MessageBuilder
				.withPayload("{\"bucket\":\"skyfold\"}".getBytes(StandardCharsets.UTF_8))
				.setHeader(MessageHeaders.CONTENT_TYPE, "application/json")
				.build();
			FunctionInvocationWrapper function = lookup(context, "resizeImage");
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> function.apply(event))
				.satisfies((ex) -> assertThat(RejectedInputException.findIn(ex)).as("rejection in %s", ex.toString())
					.isNotNull()
					.extracting(RejectedInputException::rejection)
					.isEqualTo(Rejection.INVALID));
		});
	}

	@Test
	void answersJsonWhenTheHostAcceptsJson() {
		runner().run((context) -> {
			context.getBean(BlobStore.class).write(BUCKET, "uploads/a b+c.png", fixture("wide.png"), "image/png");
			FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class)
				.lookup("resizeImage", "application/json");
			Message<byte[]> event = MessageBuilder
				.withPayload("{\"bucket\":\"skyfold\",\"key\":\"uploads/a b+c.png\"}".getBytes(StandardCharsets.UTF_8))
				.setHeader(MessageHeaders.CONTENT_TYPE, "application/json")
				.build();
			Object output = function.apply(event);
			assertThat(output).isInstanceOf(Message.class);
			Object payload = ((Message<?>) output).getPayload();
			assertThat(payload).isInstanceOf(byte[].class);
			assertThat(new String((byte[]) payload, StandardCharsets.UTF_8)).contains("\"outcome\":\"RESIZED\"")
				.contains("\"key\":\"resized/uploads/a b+c.png\"");
			ResizeResult result = context.getBean(JsonMapper.class).fromJson(payload, ResizeResult.class);
			assertThat(result.outcome()).isEqualTo(Outcome.RESIZED);
			assertThat(result.written()).extracting(WrittenObject::key).containsExactly("resized/uploads/a b+c.png");
		});
	}

	@Test
	void keepsTheResizerForAHostThatTakesTheNameResizeImageForItsOwnEvents() {
		Function<String, String> hostsOwn = (event) -> "resized " + event;
		runner().withBean(ResizeImageFunction.NAME, Function.class, () -> hostsOwn).run((context) -> {
			assertThat(context).hasSingleBean(ImageResizer.class);
			assertThat(context).doesNotHaveBean(ResizeImageFunction.class);
			assertThat(context.getBean(ResizeImageFunction.NAME)).isSameAs(hostsOwn);
			assertThat(context.getBean(FunctionCatalog.class).getNames(null))
				.as("the resizer is a service, not a function of the catalog")
				.doesNotContain("imageResizer");
		});
	}

	@Test
	void usesTheHostsBlobStoreInsteadOfTheLocalFolder(@TempDir Path hostRoot) {
		FileSystemBlobStore hostStore = new FileSystemBlobStore(hostRoot);
		runner().withBean("hostStore", BlobStore.class, () -> hostStore).run((context) -> {
			assertThat(context).hasSingleBean(BlobStore.class);
			assertThat(context.getBean(BlobStore.class)).isSameAs(hostStore);
			hostStore.write(BUCKET, "uploads/a.png", fixture("wide.png"), "image/png");
			ResizeResult result = (ResizeResult) lookup(context, "resizeImage")
				.apply(new ObjectCreated(BUCKET, "uploads/a.png"));
			assertThat(result.outcome()).isEqualTo(Outcome.RESIZED);
			assertThat(hostStore.stat(BUCKET, "resized/uploads/a.png")).isPresent();
			assertThat(new FileSystemBlobStore(this.root).list(BUCKET, "")).isEmpty();
		});
	}

	@Test
	void usesTheHostsRendererInsteadOfImageIo() {
		ThumbnailRenderer hostRenderer = new ImageIoThumbnailRenderer(
				new ImageIoThumbnailRenderer.Settings(10, 10, 0.5f, 1, false));
		runner().withBean(ThumbnailRenderer.class, () -> hostRenderer).run((context) -> {
			assertThat(context).hasSingleBean(ThumbnailRenderer.class);
			assertThat(context.getBean(ThumbnailRenderer.class)).isSameAs(hostRenderer);
			assertThatExceptionOfType(RejectedInputException.class)
				.isThrownBy(() -> context.getBean(ThumbnailFunction.class).apply(fixture("small.png")))
				.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE));
		});
	}

	@Test
	void defaultsToTheLocalFolderStoreAndImageIoRenderer() {
		runner().run((context) -> {
			assertThat(context).getBean(BlobStore.class).isInstanceOf(FileSystemBlobStore.class);
			assertThat(((FileSystemBlobStore) context.getBean(BlobStore.class)).root())
				.isEqualTo(this.root.toAbsolutePath().normalize());
			assertThat(context).getBean(ThumbnailRenderer.class).isInstanceOf(ImageIoThumbnailRenderer.class);
		});
	}

	@Test
	void honoursSizesRenditionsAndOutputPrefix() {
		runner().withPropertyValues("skyfold.image-resizer.width=100", "skyfold.image-resizer.height=50",
				"skyfold.image-resizer.renditions.small.width=32", "skyfold.image-resizer.renditions.small.height=32",
				"skyfold.image-resizer.renditions.wide.width=600", "skyfold.image-resizer.renditions.wide.height=30",
				"skyfold.image-resizer.output-prefix=thumbs/")
			.run((context) -> {
				BlobStore store = context.getBean(BlobStore.class);
				store.write(BUCKET, "uploads/tall.jpg", fixture("tall.jpg"), "image/jpeg");
				ResizeResult result = (ResizeResult) lookup(context, "resizeImage")
					.apply(new ObjectCreated(BUCKET, "uploads/tall.jpg"));
				assertThat(result.written()).extracting(WrittenObject::key)
					.containsExactly("thumbs/uploads/tall.jpg", "thumbs/small/uploads/tall.jpg",
							"thumbs/wide/uploads/tall.jpg");
				assertThat(result.written()).extracting((written) -> new Box(written.width(), written.height()))
					.containsExactly(new Box(17, 50), new Box(11, 32), new Box(10, 30));
				for (WrittenObject written : result.written()) {
					BufferedImage image = decode(
							store.read(BUCKET, written.key(), Blob.MAX_BYTES).orElseThrow().content());
					assertThat(new Box(image.getWidth(), image.getHeight()))
						.isEqualTo(new Box(written.width(), written.height()));
				}
				assertThat(store.list(BUCKET, "resized/")).isEmpty();
				ResizeResult own = (ResizeResult) lookup(context, "resizeImage")
					.apply(new ObjectCreated(BUCKET, "thumbs/uploads/tall.jpg"));
				assertThat(own.outcome()).isEqualTo(Outcome.SKIPPED);
				Message<?> thumbnail = (Message<?>) lookup(context, "thumbnail").apply(fixture("wide.png"));
				assertThat(thumbnail.getHeaders()).containsEntry(ThumbnailFunction.WIDTH_HEADER, 100)
					.containsEntry(ThumbnailFunction.HEIGHT_HEADER, 25);
			});
	}

	@Test
	void honoursJpegQuality() throws IOException {
		byte[] noise = noisyJpeg();
		int[] sizes = new int[2];
		List<String> qualities = List.of("0.2", "1.0");
		for (int i = 0; i < 2; i++) {
			int index = i;
			runner().withPropertyValues("skyfold.image-resizer.jpeg-quality=" + qualities.get(i)).run((context) -> {
				Message<?> thumbnail = (Message<?>) lookup(context, "thumbnail").apply(noise);
				sizes[index] = ((byte[]) thumbnail.getPayload()).length;
			});
		}
		assertThat(sizes[0]).as("bytes at quality 0.2 vs 1.0").isLessThan(sizes[1] / 2);
	}

	@Test
	void honoursLimits() {
		runner().withPropertyValues("skyfold.image-resizer.max-pixels=1000").run((context) -> {
			assertThatExceptionOfType(RejectedInputException.class)
				.isThrownBy(() -> context.getBean(ThumbnailFunction.class).apply(fixture("tall.jpg")))
				.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE));
		});
		runner().withPropertyValues("skyfold.image-resizer.max-size=1KB").run((context) -> {
			BlobStore store = context.getBean(BlobStore.class);
			store.write(BUCKET, "uploads/tall.jpg", fixture("tall.jpg"), "image/jpeg");
			assertThatExceptionOfType(RejectedInputException.class)
				.isThrownBy(() -> context.getBean(ResizeImageFunction.class)
					.apply(new ObjectCreated(BUCKET, "uploads/tall.jpg")))
				.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE));
			assertThatExceptionOfType(RejectedInputException.class)
				.isThrownBy(() -> context.getBean(ThumbnailFunction.class).apply(fixture("tall.jpg")))
				.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.TOO_LARGE));
			assertThat(store.list(BUCKET, "resized/")).isEmpty();
		});
	}

	@Test
	void turnsTheNativeDecoderOff() {
		runner()
			.run((context) -> assertThat(context.getBean(ImageIoThumbnailRenderer.class).usesNativeDecoder()).isTrue());
		runner().withPropertyValues("skyfold.image-resizer.native-decoder.enabled=false")
			.run((context) -> assertThat(context.getBean(ImageIoThumbnailRenderer.class).usesNativeDecoder())
				.isFalse());
	}

	private static byte[] sampleEvent(String name) throws IOException {
		try (InputStream in = FunctionCatalogContractTests.class.getResourceAsStream("/events/" + name)) {
			assertThat(in).as("events/%s", name).isNotNull();
			return in.readAllBytes();
		}
	}

	private static byte[] noisyJpeg() throws IOException {
		BufferedImage image = new BufferedImage(400, 400, BufferedImage.TYPE_INT_RGB);
		Random random = new Random(7);
		for (int y = 0; y < 400; y++) {
			for (int x = 0; x < 400; x++) {
				image.setRGB(x, y, random.nextInt(0x1000000));
			}
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		assertThat(ImageIO.write(image, "jpeg", bytes)).isTrue();
		return bytes.toByteArray();
	}

	@Test
	void statesTheRoleEveryFunctionOfTheCatalogNeeds() {
		runner().run((context) -> {
			assertThat(context.getBean(FunctionCatalog.class).getNames(null))
				.filteredOn((name) -> !name.equals(RoutingFunction.FUNCTION_NAME))
				.allSatisfy((name) -> assertThat(ImageOperation.ofFunction(name)).as(name).isPresent());
			assertThat(ImageOperation.ofFunction(ThumbnailFunction.NAME)).contains(ImageOperation.THUMBNAIL);
			assertThat(ImageOperation.ofFunction(ResizeImageFunction.NAME)).contains(ImageOperation.RESIZE_IMAGE);
			assertThat(ImageOperation.ofFunction(ReconcileThumbnailsFunction.NAME))
				.contains(ImageOperation.RECONCILE_THUMBNAILS);
			assertThat(ImageOperation.RECONCILE_THUMBNAILS.requiredRole()).isEqualTo(Role.ADMIN);
			assertThat(ImageOperation.THUMBNAIL.requiredRole()).isEqualTo(Role.MEMBER);
			assertThat(ImageOperation.RESIZE_IMAGE.requiredRole()).isEqualTo(Role.ADMIN);
			assertThat(ImageOperation.ofFunction("imageResizer")).isEmpty();
		});
	}

}
