package dev.skyfold.infra.azure;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.skyfold.chat.azure.autoconfigure.ChatAzureProperties;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerProperties;
import dev.skyfold.imageresizer.azure.functions.ResizeImageHandler;
import dev.skyfold.testsupport.loopback.DocumentedSettings;
import org.junit.jupiter.api.Test;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that the Bicep files agree with the apps they deploy: the main classes and Java
 * version the modules package, the function Event Grid delivers to, the classic blob
 * trigger they turn off, the prefixes and table the functions use, and the configuration
 * properties the settings bind.
 */
class BicepAlignmentTests {

	/** The function that Event Grid delivers BlobCreated events to. */
	static final String EVENT_FUNCTION = functionWith(EventGridTrigger.class);

	/** Where the resizer writes thumbnails, by default. */
	static final String RESIZED_PREFIX = new ImageResizerProperties().getOutputPrefix();

	/**
	 * The Maven module (from the repository root) of each app that main.bicep deploys.
	 */
	private static final Map<String, String> MODULES = Map.of("resizer", "image-resizer/image-resizer-azure", "chat",
			"chat-notifier/chat-notifier-azure");

	private final Map<String, Bicep.Model> files = Bicep.read(Bicep.FOLDER.resolve("main.bicep"),
			Bicep.FOLDER.resolve("function-app.bicep"));

	private final Bicep.Model main = this.files.get("main.bicep");

	@Test
	void startsTheSpringBootApplicationEachModulePackages() throws Exception {
		assertThat(this.main.modules()).containsOnlyKeys(MODULES.keySet());
		for (Map.Entry<String, String> module : MODULES.entrySet()) {
			String mainClass = this.main.body(module.getKey()).path("params").path("mainClass").asString();
			assertThat(AnnotatedElementUtils.hasAnnotation(Class.forName(mainClass), SpringBootConfiguration.class))
				.as(mainClass)
				.isTrue();
			assertThat(mainClass).isEqualTo(packagedSetting(module.getValue(), "MAIN_CLASS"));
		}
	}

	@Test
	void runsTheJavaVersionTheModulesPackageFor() throws Exception {
		for (String module : MODULES.values()) {
			assertThat(this.main.param("javaVersion").path("default").asString()).as(module)
				.isEqualTo(pomText(module, "javaVersion"));
		}
	}

	@Test
	void deliversEventsToTheResizersEventGridFunction() {
		assertThat(EVENT_FUNCTION).isEqualTo("resizeImage");
		assertThat(Bicep.expression(this.main.body("uploadsToResizer")
			.path("properties")
			.path("destination")
			.path("properties")
			.path("resourceId"))).endsWith("/functions/" + EVENT_FUNCTION + "'");
		assertThat(Bicep
			.expression(this.main.body("uploadsToResizer").path("properties").path("filter").path("subjectBeginsWith")))
			.endsWith("/blobs/" + ResizeImageHandler.UPLOADS + "'");
	}

	@Test
	void turnsOffTheClassicBlobTriggerAndStillNamesItsContainer() {
		JsonNode settings = this.main.body("resizer").path("params").path("appSettings");
		String blobFunction = functionWith(BlobTrigger.class);
		assertThat(settings.path("AzureWebJobs." + blobFunction + ".Disabled").asString()).isEqualTo("true");
		assertThat(Bicep.expression(settings.path(ResizeImageHandler.CONTAINER_SETTING))).isEqualTo("imageContainer");
	}

	@Test
	void limitsTheResizerToThePrefixesItReadsAndWrites() {
		String read = this.main.resolve(this.main.body("resizerReadsUploads").path("properties").path("condition"))
			.asString();
		String write = this.main.resolve(this.main.body("resizerWritesThumbnails").path("properties").path("condition"))
			.asString();
		assertThat(read).contains("StringStartsWith '" + ResizeImageHandler.UPLOADS + "'");
		assertThat(write).contains("StringStartsWith '" + RESIZED_PREFIX + "'");
	}

	@Test
	void createsTheTableTheChatStoreUsesByDefault() {
		assertThat(this.main.param("chatTable").path("default").asString())
			.isEqualTo(new ChatAzureProperties().getTable());
		assertThat(Bicep.expression(this.main.body("messages").path("name"))).isEqualTo("chatTable");
	}

	@Test
	void setsOnlyDocumentedConfigurationPropertiesOfTheApps() {
		Set<String> variables = new TreeSet<>();
		for (String module : MODULES.keySet()) {
			BicepTemplateTests.appSettings(this.main, this.files.get("function-app.bicep"), module)
				.keySet()
				.stream()
				.filter((name) -> name.startsWith("SKYFOLD_"))
				.forEach(variables::add);
		}
		assertThat(variables).isNotEmpty();
		Set<String> bound = DocumentedSettings.environmentVariables(getClass().getClassLoader());
		assertThat(variables).as("app settings that no documented skyfold.* property binds")
			.filteredOn((variable) -> !bound.contains(variable))
			.isEmpty();
	}

	/** The name of the resizer's function whose first parameter has the trigger. */
	private static String functionWith(Class<? extends java.lang.annotation.Annotation> trigger) {
		Optional<Method> method = Arrays.stream(ResizeImageHandler.class.getMethods())
			.filter((candidate) -> candidate.isAnnotationPresent(FunctionName.class))
			.filter((candidate) -> Arrays.stream(candidate.getParameters())
				.map(Parameter::getAnnotations)
				.flatMap(Arrays::stream)
				.anyMatch(trigger::isInstance))
			.findFirst();
		assertThat(method).as("a function with " + trigger.getSimpleName()).isPresent();
		return method.get().getAnnotation(FunctionName.class).value();
	}

	/** The value of an app setting the module's azure-functions-maven-plugin packages. */
	private static String packagedSetting(String module, String name) throws Exception {
		Document pom = pom(module);
		NodeList properties = pom.getElementsByTagName("appSettings").item(0).getChildNodes();
		for (int i = 0; i < properties.getLength(); i++) {
			if (properties.item(i) instanceof Element property
					&& property.getElementsByTagName("name").item(0).getTextContent().trim().equals(name)) {
				String value = property.getElementsByTagName("value").item(0).getTextContent().trim();
				return value.startsWith("${") ? pomText(module, value.substring(2, value.length() - 1)) : value;
			}
		}
		throw new AssertionError(module + " packages no app setting " + name);
	}

	private static String pomText(String module, String element) throws Exception {
		NodeList found = pom(module).getElementsByTagName(element);
		assertThat(found.getLength()).as(module + " <" + element + ">").isEqualTo(1);
		return found.item(0).getTextContent().trim();
	}

	private static Document pom(String module) throws Exception {
		Path repository = Bicep.FOLDER.toAbsolutePath().normalize().getParent().getParent();
		return DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(repository.resolve(module).resolve("pom.xml").toFile());
	}

}
