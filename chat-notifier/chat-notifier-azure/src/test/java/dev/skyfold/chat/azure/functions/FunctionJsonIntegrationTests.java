package dev.skyfold.chat.azure.functions;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Azure Functions app folder that {@code azure-functions-maven-plugin} wrote in the
 * package phase (its path is the system property {@code skyfold.azure.functions.app}):
 * {@code host.json} with the extension bundle, one {@code function.json} per function
 * with the HTTP trigger and output bindings, the jar and its libraries.
 */
class FunctionJsonIntegrationTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final Path app = Path
		.of(System.getProperty("skyfold.azure.functions.app", "target/azure-functions/skyfold-chat-notifier"));

	@Test
	void writesOneFunctionFolderPerFunctionAndTheHost() throws IOException {
		try (Stream<Path> files = Files.list(this.app)) {
			assertThat(files.filter(Files::isDirectory).map((path) -> path.getFileName().toString()))
				.containsExactlyInAnyOrder("postMessage", "messageHistory", "lib");
		}
		JsonNode host = read(this.app.resolve("host.json"));
		assertThat(host.path("version").asString()).isEqualTo("2.0");
		assertThat(host.path("extensionBundle").path("id").asString())
			.isEqualTo("Microsoft.Azure.Functions.ExtensionBundle");
		assertThat(host.path("extensionBundle").path("version").asString()).isEqualTo("[4.*, 5.0.0)");
		assertThat(this.app.resolve("chat-notifier-azure-0.1.0-SNAPSHOT.jar")).isRegularFile();
		assertThat(this.app.resolve("lib")).isDirectoryContaining("glob:**/skyfold-azure-functions-adapter-*.jar")
			.isDirectoryContaining("glob:**/azure-data-tables-*.jar")
			.isDirectoryContaining("glob:**/chat-notifier-core-*.jar");
	}

	@Test
	void bindsPostMessageToPostOnTheMessagesRoute() throws IOException {
		JsonNode function = read(this.app.resolve("postMessage/function.json"));

		assertThat(function.path("entryPoint").asString())
			.isEqualTo("dev.skyfold.chat.azure.functions.PostMessageHandler.run");
		assertThat(function.path("scriptFile").asString()).isEqualTo("../chat-notifier-azure-0.1.0-SNAPSHOT.jar");
		assertHttpBindings(function, "POST");
	}

	@Test
	void bindsMessageHistoryToGetOnTheMessagesRoute() throws IOException {
		JsonNode function = read(this.app.resolve("messageHistory/function.json"));

		assertThat(function.path("entryPoint").asString())
			.isEqualTo("dev.skyfold.chat.azure.functions.MessageHistoryHandler.run");
		assertHttpBindings(function, "GET");
	}

	private static void assertHttpBindings(JsonNode function, String method) {
		List<JsonNode> bindings = function.path("bindings").valueStream().toList();
		assertThat(bindings).hasSize(2);
		JsonNode trigger = bindings.stream()
			.filter((binding) -> "httpTrigger".equals(binding.path("type").asString()))
			.findFirst()
			.orElseThrow();
		assertThat(trigger.path("direction").asString()).isEqualTo("in");
		assertThat(trigger.path("name").asString()).isEqualTo("request");
		assertThat(trigger.path("route").asString()).isEqualTo("messages");
		assertThat(trigger.path("authLevel").asString()).isEqualToIgnoringCase("function");
		assertThat(trigger.path("methods").valueStream().map(JsonNode::asString)).containsExactly(method);
		JsonNode output = bindings.stream()
			.filter((binding) -> "http".equals(binding.path("type").asString()))
			.findFirst()
			.orElseThrow();
		assertThat(output.path("direction").asString()).isEqualTo("out");
		assertThat(output.path("name").asString()).isEqualTo("$return");
	}

	private static JsonNode read(Path file) throws IOException {
		assertThat(file).isRegularFile();
		return json.readTree(Files.readString(file));
	}

}
