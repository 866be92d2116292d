package dev.skyfold.imageresizer.azure;

import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;
import java.util.logging.Logger;
import java.util.stream.Stream;

import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.options.BlobParallelUploadOptions;
import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.spi.inject.FunctionInstanceInjector;
import dev.skyfold.imageresizer.azure.blob.AzureBlobClients;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function app folder that the plugin lays out runs with nothing but what the Java
 * worker adds: its jar and {@code lib/} in a class loader of their own, over one that has
 * the worker's SPI and core library only. The worker's steps are taken by hand: find the
 * injector with a {@code ServiceLoader}, ask it for the handler, invoke the
 * {@code @FunctionName} method with an event.
 */
class PackagedFunctionAppIntegrationTests {

	private static final List<String> SETTINGS = List.of("MAIN_CLASS",
			"skyfold.image-resizer.azure.blob.connection-string");

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private final Path app = Path
		.of(System.getProperty("skyfold.azure.functions.folder", "target/azure-functions/skyfold-image-resizer"));

	private final List<AutoCloseable> closeables = new ArrayList<>();

	@AfterEach
	void close() throws Exception {
		for (AutoCloseable closeable : this.closeables) {
			closeable.close();
		}
		SETTINGS.forEach(System::clearProperty);
	}

	@Test
	void resizesAnUploadWithTheJarsOfTheAppFolderAlone() throws Exception {
		BlobContainerClient container = AzureBlobClients
			.create(azurite.connectionString(), null, Duration.ofSeconds(10))
			.createBlobContainer("skyfold");
		container.getBlobClient("uploads/my photo+1.jpg")
			.uploadWithResponse(new BlobParallelUploadOptions(BinaryData.fromBytes(Samples.jpeg(800, 600)))
				.setHeaders(new BlobHttpHeaders().setContentType("image/jpeg")), null, null);
		System.setProperty("MAIN_CLASS", "dev.skyfold.imageresizer.azure.ImageResizerAzureApplication");
		System.setProperty("skyfold.image-resizer.azure.blob.connection-string", azurite.connectionString());

		ClassLoader worker = classLoader(null, jarOf(FunctionInstanceInjector.class), jarOf(ExecutionContext.class));
		ClassLoader functions = classLoader(worker, appJars());
		Class<?> injectorType = worker.loadClass(FunctionInstanceInjector.class.getName());
		Object injector = ServiceLoader.load(injectorType, functions).findFirst().orElseThrow();
		assertThat(injector.getClass().getClassLoader()).isSameAs(functions);
		this.closeables.add(() -> injector.getClass().getMethod("close").invoke(null));

		Class<?> handlerType = functions.loadClass("dev.skyfold.imageresizer.azure.functions.ResizeImageHandler");
		Object handler = injectorType.getMethod("getInstance", Class.class).invoke(injector, handlerType);
		Class<?> contextType = worker.loadClass(ExecutionContext.class.getName());
		Method resizeImage = handlerType.getMethod("resizeImage", String.class, contextType);
		resizeImage.invoke(handler, Samples.event("cloudevents-blob-created.json"), context(contextType));

		assertThat(container.getBlobClient("resized/uploads/my photo+1.jpg").getProperties().getContentType())
			.isEqualTo("image/jpeg");
	}

	private URL[] appJars() throws Exception {
		List<URL> jars = new ArrayList<>();
		try (Stream<Path> files = Stream.concat(Files.list(this.app), Files.list(this.app.resolve("lib")))) {
			for (Path jar : files.filter((file) -> file.toString().endsWith(".jar")).toList()) {
				jars.add(jar.toUri().toURL());
			}
		}
		assertThat(jars).as("run 'package' first: the plugin writes %s", this.app).hasSizeGreaterThan(10);
		return jars.toArray(URL[]::new);
	}

	private ClassLoader classLoader(ClassLoader parent, URL... jars) {
		URLClassLoader loader = new URLClassLoader(jars,
				(parent != null) ? parent : ClassLoader.getPlatformClassLoader());
		this.closeables.add(loader);
		return loader;
	}

	private static URL jarOf(Class<?> type) {
		return type.getProtectionDomain().getCodeSource().getLocation();
	}

	private static Object context(Class<?> contextType) {
		Logger logger = Logger.getAnonymousLogger();
		return Proxy.newProxyInstance(contextType.getClassLoader(), new Class<?>[] { contextType },
				(proxy, method, args) -> switch (method.getName()) {
					case "getLogger" -> logger;
					case "getInvocationId" -> "0f4d6f5e-0000-0000-0000-000000000001";
					case "getFunctionName" -> "resizeImage";
					case "toString" -> "ExecutionContext";
					default -> throw new UnsupportedOperationException(method.getName());
				});
	}

}
