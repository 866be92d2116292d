package dev.skyfold.imageresizer.azure;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The function app folder that {@code azure-functions-maven-plugin} lays out in the
 * {@code package} phase, before Failsafe runs: its bindings are the deployment contract.
 */
class FunctionJsonIntegrationTests {

	private static final JsonMapper json = JsonMapper.shared();

	private final Path app = Path
		.of(System.getProperty("skyfold.azure.functions.folder", "target/azure-functions/skyfold-image-resizer"));

	@Test
	void bindsResizeImageToAnEventGridTrigger() throws Exception {
		JsonNode function = function("resizeImage");
		assertThat(function.path("entryPoint").asString())
			.isEqualTo("dev.skyfold.imageresizer.azure.functions.ResizeImageHandler.resizeImage");
		assertThat(function.path("bindings")).singleElement().satisfies((binding) -> {
			assertThat(binding.path("type").asString()).isEqualTo("eventGridTrigger");
			assertThat(binding.path("direction").asString()).isEqualTo("in");
			assertThat(binding.path("name").asString()).isEqualTo("event");
		});
	}

	@Test
	void bindsResizeImageBlobToABlobTriggerOnTheUploadsOfTheConfiguredContainer() throws Exception {
		JsonNode function = function("resizeImageBlob");
		assertThat(function.path("entryPoint").asString())
			.isEqualTo("dev.skyfold.imageresizer.azure.functions.ResizeImageHandler.resizeImageBlob");
		assertThat(function.path("bindings")).singleElement().satisfies((binding) -> {
			assertThat(binding.path("type").asString()).isEqualTo("blobTrigger");
			assertThat(binding.path("direction").asString()).isEqualTo("in");
			assertThat(binding.path("name").asString()).isEqualTo("content");
			assertThat(binding.path("path").asString()).isEqualTo("%IMAGE_RESIZER_CONTAINER%/uploads/{name}");
			assertThat(binding.path("connection").asString()).isEqualTo("AzureWebJobsStorage");
			assertThat(binding.path("dataType").asString()).isEqualTo("binary");
		});
	}

	@Test
	void bindsReconcileThumbnailsToATimerOnTheScheduleSettingWithinTheHostsTimeout() throws Exception {
		JsonNode function = function("reconcileThumbnails");
		assertThat(function.path("entryPoint").asString())
			.isEqualTo("dev.skyfold.imageresizer.azure.functions.ReconcileThumbnailsHandler.reconcileThumbnails");
		assertThat(function.path("bindings")).singleElement().satisfies((binding) -> {
			assertThat(binding.path("type").asString()).isEqualTo("timerTrigger");
			assertThat(binding.path("schedule").asString()).isEqualTo("%RECONCILE_SCHEDULE%");
		});
		// A run stops within its budget, well before the host ends it.
		JsonNode host = json.readTree(this.app.resolve("host.json").toFile());
		assertThat(java.time.Duration
			.parse("PT" + host.path("functionTimeout").asString().replaceFirst("(\\d+):(\\d+):(\\d+)", "$1H$2M$3S")))
			.isGreaterThanOrEqualTo(java.time.Duration.ofMinutes(5));
	}

	@Test
	void packagesTheJarItsLibrariesAndAHostJsonWithAnExtensionBundle() throws Exception {
		JsonNode function = function("resizeImage");
		assertThat(this.app.resolve("resizeImage").resolve(function.path("scriptFile").asString()).normalize())
			.isRegularFile();
		JsonNode host = json.readTree(this.app.resolve("host.json").toFile());
		assertThat(host.path("version").asString()).isEqualTo("2.0");
		assertThat(host.path("extensionBundle").path("id").asString())
			.isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
		assertThat(host.path("extensionBundle").path("version").asString()).isEqualTo("[4.*, 5.0.0)");
		try (var libs = Files.list(this.app.resolve("lib"))) {
			assertThat(libs.map((lib) -> lib.getFileName().toString()))
				.anyMatch((name) -> name.startsWith("skyfold-azure-functions-adapter-"))
				.anyMatch((name) -> name.startsWith("image-resizer-core-"))
				.anyMatch((name) -> name.startsWith("azure-storage-blob-"))
				.noneMatch((name) -> name.startsWith("azure-functions-java-spi-"))
				.noneMatch((name) -> name.startsWith("spring-boot-configuration-processor-"));
		}
		try (var folders = Files.list(this.app)) {
			assertThat(folders.filter(Files::isDirectory).map((folder) -> folder.getFileName().toString()))
				.containsExactlyInAnyOrder("lib", "resizeImage", "resizeImageBlob", "reconcileThumbnails");
		}
	}

	private JsonNode function(String name) throws Exception {
		Path file = this.app.resolve(name).resolve("function.json");
		assertThat(file).as("run 'package' first: the plugin writes it").isRegularFile();
		return json.readTree(file.toFile());
	}

}
