package dev.skyfold.infra.aws;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import javax.xml.parsers.DocumentBuilderFactory;

import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.aws.lambda.BroadcastMessageEventFunction;
import dev.skyfold.chat.fcm.FcmProperties;
import dev.skyfold.chat.application.MessageHistoryFunction;
import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.chat.aws.dynamodb.MessageTable;
import dev.skyfold.imageresizer.application.ReconcileThumbnailsFunction;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerProperties;
import dev.skyfold.imageresizer.aws.autoconfigure.ImageResizerAwsProperties;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.testsupport.loopback.DocumentedSettings;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import software.amazon.awssdk.services.dynamodb.model.CreateTableRequest;
import software.amazon.awssdk.services.dynamodb.model.KeySchemaElement;

import org.springframework.boot.convert.DurationStyle;

import static dev.skyfold.infra.aws.CloudFormationTemplate.list;
import static dev.skyfold.infra.aws.CloudFormationTemplate.map;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that {@code template.yaml} agrees with the modules it deploys: their jars and
 * main classes, the table layout the DynamoDB store expects, and the configuration
 * properties the functions read from their environment.
 */
class TemplateAlignmentTests {

	/** The Maven module (relative to the repository root) that builds each function. */
	private static final Map<String, String> MODULES = Map.of("ResizeImageFunction", "image-resizer/image-resizer-aws",
			"ReconcileThumbnailsFunction", "image-resizer/image-resizer-aws", "PostMessageFunction",
			"chat-notifier/chat-notifier-aws", "MessageHistoryFunction", "chat-notifier/chat-notifier-aws",
			"BroadcastMessageFunction", "chat-notifier/chat-notifier-aws");

	private final CloudFormationTemplate template = CloudFormationTemplate.load();

	@Test
	void coversEveryFunction() {
		assertThat(MODULES).containsOnlyKeys(TemplateTests.FUNCTIONS);
	}

	@Test
	void definesEachFunctionByItsCoreContractName() {
		Map<String, String> names = Map.of("ResizeImageFunction", ResizeImageFunction.NAME,
				"ReconcileThumbnailsFunction", ReconcileThumbnailsFunction.NAME, "PostMessageFunction",
				PostMessageFunction.NAME, "MessageHistoryFunction", MessageHistoryFunction.NAME,
				"BroadcastMessageFunction", BroadcastMessageFunction.NAME);
		names.forEach((function, name) -> assertThat(environment(function)).as(function)
			.containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", name));
	}

	@Test
	void pointsEachFunctionAtItsModulesShadedJarAndMainClass() throws Exception {
		Path repository = CloudFormationTemplate.path().toAbsolutePath().getParent().getParent().getParent();
		for (Map.Entry<String, String> function : MODULES.entrySet()) {
			Document pom = DocumentBuilderFactory.newInstance()
				.newDocumentBuilder()
				.parse(repository.resolve(function.getValue()).resolve("pom.xml").toFile());
			String artifactId = childText(pom.getDocumentElement(), "artifactId");
			String version = childText(child(pom.getDocumentElement(), "parent"), "version");
			String classifier = pom.getElementsByTagName("shadedClassifierName").item(0).getTextContent().trim();
			String startClass = pom.getElementsByTagName("start-class").item(0).getTextContent().trim();
			assertThat(this.template.functionProperties(function.getKey())).as(function.getKey())
				.containsEntry("CodeUri", "../../" + function.getValue() + "/target/" + artifactId + "-" + version + "-"
						+ classifier + ".jar");
			assertThat(environment(function.getKey())).as(function.getKey()).containsEntry("MAIN_CLASS", startClass);
		}
	}

	@Test
	void buildsSpringAotsBeanDefinitionsForEveryFunctionThatStartsFromThem() throws Exception {
		Path repository = CloudFormationTemplate.path().toAbsolutePath().getParent().getParent().getParent();
		for (Map.Entry<String, String> function : MODULES.entrySet()) {
			Object options = environment(function.getKey()).get("JAVA_TOOL_OPTIONS");
			boolean aot = options != null && options.toString().contains("-Dspring.aot.enabled=true");
			String pom = Files.readString(repository.resolve(function.getValue()).resolve("pom.xml"));
			assertThat(pom.contains("<goal>process-aot</goal>")).as("%s's module runs process-aot", function.getKey())
				.isEqualTo(aot);
		}
	}

	@Test
	void declaresTheMessageTableAsTheDynamoDbStoreLaysItOut() {
		CreateTableRequest expected = MessageTable.createTableRequest("any");
		Map<String, Object> table = this.template.properties("MessageTable");
		assertThat(table).containsEntry("BillingMode", expected.billingModeAsString());
		Map<String, Object> attributes = new LinkedHashMap<>();
		expected.attributeDefinitions()
			.forEach((attribute) -> attributes.put(attribute.attributeName(), attribute.attributeTypeAsString()));
		Map<String, Object> declared = new LinkedHashMap<>();
		list(table.get("AttributeDefinitions"), "AttributeDefinitions").forEach((each) -> {
			Map<String, Object> attribute = map(each, "AttributeDefinition");
			declared.put((String) attribute.get("AttributeName"), attribute.get("AttributeType"));
		});
		assertThat(declared).isEqualTo(attributes);
		assertThat(table.get("KeySchema")).isEqualTo(keySchema(expected.keySchema()));
		List<Object> indexes = new ArrayList<>();
		expected.localSecondaryIndexes()
			.forEach((index) -> indexes
				.add(Map.of("IndexName", index.indexName(), "KeySchema", keySchema(index.keySchema()), "Projection",
						Map.of("ProjectionType", index.projection().projectionTypeAsString()))));
		assertThat(table.get("LocalSecondaryIndexes")).isEqualTo(indexes);
		assertThat(expected.globalSecondaryIndexes()).isEmpty();
		assertThat(table.get("StreamSpecification"))
			.isEqualTo(Map.of("StreamViewType", expected.streamSpecification().streamViewTypeAsString()));
	}

	@Test
	void setsOnlyDocumentedConfigurationPropertiesOfTheFunctions() {
		Set<String> variables = new TreeSet<>();
		for (String function : MODULES.keySet()) {
			environment(function).keySet()
				.stream()
				.filter((name) -> name.startsWith("SKYFOLD_"))
				.forEach(variables::add);
		}
		assertThat(variables).isNotEmpty();
		Set<String> bound = DocumentedSettings.environmentVariables(getClass().getClassLoader());
		assertThat(variables).as("environment variables that no documented skyfold.* property binds")
			.filteredOn((variable) -> !bound.contains(variable))
			.isEmpty();
	}

	@Test
	void givesEveryBroadcastAttemptTimeToFinishInsideBroadcastMessagesTimeout() {
		Duration timeout = Duration
			.ofSeconds((Integer) this.template.functionProperties("BroadcastMessageFunction").get("Timeout"));
		Duration fcmTimeout = DurationStyle
			.detectAndParse((String) environment("BroadcastMessageFunction").get("SKYFOLD_CHAT_FCM_TIMEOUT"));
		Duration attempt = fcmTimeout.multipliedBy(FcmProperties.WAITS_PER_SEND);
		Duration retry = BroadcastService.Backoff.defaults().maxDelay().plus(attempt);

		// The first attempt fits whole, with the margin for answering, and so does a
		// retry
		// after it: the deadline stops any later one that would not.
		assertThat(attempt.plus(retry).plus(BroadcastMessageEventFunction.MARGIN)).isLessThanOrEqualTo(timeout);
		// Without the deadline, every attempt the backoff allows could need more.
		Duration everyAttempt = attempt.multipliedBy(1 + BroadcastService.Backoff.defaults().maxRetries());
		assertThat(everyAttempt).isGreaterThan(timeout);
	}

	@Test
	void givesEveryS3CallOfARecordTimeToFinishInsideTheResizersTimeouts() {
		ImageResizerAwsProperties.S3 s3 = new ImageResizerAwsProperties().getS3();
		// One call to S3 with its retries: the client gives up on it after this.
		Duration call = s3.getCallTimeout();
		// A record: the original's read, then one write per rendition (the template
		// configures the default one alone).
		int renditions = new ImageResizerProperties().toResizeImageSettings().renditions().size();
		Duration record = call.multipliedBy(1 + renditions);
		Duration resizeTimeout = Duration
			.ofSeconds((Integer) this.template.functionProperties("ResizeImageFunction").get("Timeout"));
		assertThat(record).isLessThanOrEqualTo(resizeTimeout);
		// A reconcile also asks for each rendition's description first; what the budget
		// leaves of the timeout holds a whole object's work, so no run is cut off.
		Duration reconcileTimeout = Duration
			.ofSeconds((Integer) this.template.functionProperties("ReconcileThumbnailsFunction").get("Timeout"));
		Duration budget = DurationStyle.detectAndParse(
				(String) environment("ReconcileThumbnailsFunction").get("SKYFOLD_IMAGERESIZER_RECONCILE_TIMEBUDGET"));
		assertThat(record.plus(call.multipliedBy(renditions))).isLessThanOrEqualTo(reconcileTimeout.minus(budget));
		// Without the call timeout, the SDK's three attempts of a connect and a read
		// could
		// outlast the resizer's timeout on two calls.
		assertThat(s3.getTimeout().multipliedBy(2 * 3 * (1 + renditions))).isGreaterThan(resizeTimeout);
	}

	private Map<String, Object> environment(String function) {
		Map<String, Object> environment = map(this.template.functionProperties(function).get("Environment"),
				function + ".Environment");
		return map(environment.get("Variables"), function + ".Environment.Variables");
	}

	private static List<Object> keySchema(List<KeySchemaElement> keys) {
		List<Object> schema = new ArrayList<>();
		keys.forEach(
				(key) -> schema.add(Map.of("AttributeName", key.attributeName(), "KeyType", key.keyTypeAsString())));
		return schema;
	}

	private static Element child(Element parent, String name) {
		for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
			if (node instanceof Element element && element.getTagName().equals(name)) {
				return element;
			}
		}
		throw new AssertionError("No <" + name + "> in <" + parent.getTagName() + ">");
	}

	private static String childText(Element parent, String name) {
		return child(parent, name).getTextContent().trim();
	}

}
