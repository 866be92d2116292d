package dev.skyfold.infra.azure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks that {@code main.bicep} and {@code function-app.bicep} are well-formed and hold
 * what the deployment promises: Linux Flex Consumption apps on Java with managed
 * identities, storage reached by identity only, role assignments limited to what each
 * function needs, Event Grid delivering uploads to {@code resizeImage}, tokens required
 * for the chat, the FCM key in Key Vault, and telemetry.
 */
class BicepTemplateTests {

	/** The built-in roles the deployment may use, by ID (the same in every tenant). */
	static final Map<String, String> ROLES = Map.of("2a2b9908-6ea1-4ae2-8e65-a410df84e7d1", "Storage Blob Data Reader",
			"ba92f5b4-2d11-453d-a403-e96b0029c9fe", "Storage Blob Data Contributor",
			"b7e6dc6d-f1e8-4753-8033-0f276bb0955b", "Storage Blob Data Owner", "0a9a7e1f-b9d0-4cc4-a60d-0319b160aaa3",
			"Storage Table Data Contributor", "4633458b-17de-408a-b874-0445c86b69e6", "Key Vault Secrets User",
			"3913510d-42f4-4e42-8a64-420c390055eb", "Monitoring Metrics Publisher");

	private static final String BLOBS = "Microsoft.Storage/storageAccounts/blobServices/containers/blobs/";

	/**
	 * The data actions of Storage Blob Data Contributor: a condition must hold every one.
	 */
	private static final Set<String> CONTRIBUTOR_DATA_ACTIONS = Set.of(BLOBS + "read", BLOBS + "write",
			BLOBS + "add/action", BLOBS + "delete", BLOBS + "move/action");

	private static final Pattern ACTION = Pattern.compile("ActionMatches\\{'([^']+)'\\}");

	private static final Pattern PATH_PREFIX = Pattern
		.compile("@Resource\\[" + Pattern.quote(BLOBS.replaceAll("/$", "")) + ":path\\] StringStartsWith '([^']+)'");

	private static final Map<String, Bicep.Model> files = Bicep.read(Bicep.FOLDER.resolve("main.bicep"),
			Bicep.FOLDER.resolve("function-app.bicep"));

	private final Bicep.Model main = files.get("main.bicep");

	private final Bicep.Model app = files.get("function-app.bicep");

	@Test
	void parsesWithoutErrorsUndeclaredNamesOrUnusedDeclarations() {
		for (Bicep.Model file : files.values()) {
			assertThat(file.errors()).as(file.name() + " syntax errors").isEmpty();
			assertThat(file.undeclared()).as(file.name() + " undeclared names").isEmpty();
			assertThat(file.unused()).as(file.name() + " unused declarations").isEmpty();
		}
	}

	@Test
	void passesEachModuleTheParametersItDeclaresAndEveryRequiredOne() {
		assertThat(this.main.modules()).isNotEmpty();
		this.main.modules().forEach((symbol, module) -> {
			Bicep.Model target = files.get(module.path("path").asString());
			assertThat(target).as(symbol + " calls a file this test reads").isNotNull();
			Set<String> given = new TreeSet<>(module.path("body").path("params").propertyNames());
			Set<String> required = new TreeSet<>();
			target.params().forEach((name, param) -> {
				if (param.path("default").isNull()) {
					required.add(name);
				}
			});
			assertThat(given).as(symbol).isSubsetOf(target.params().keySet()).containsAll(required);
		});
	}

	@Test
	void describesEveryParameterAndOutputAndKeepsTheFcmKeySecret() {
		for (Bicep.Model file : files.values()) {
			file.params()
				.forEach((name, param) -> assertThat(param.path("decorators").path("description").asString())
					.as(file.name() + " param " + name)
					.isNotBlank());
			file.outputs()
				.forEach((name, output) -> assertThat(output.path("decorators").path("description").asString())
					.as(file.name() + " output " + name)
					.isNotBlank());
		}
		assertThat(this.main.param("fcmServiceAccountKey").path("decorators").path("secure").asBoolean()).isTrue();
		assertThat(this.main.outputs().values()).allSatisfy(
				(output) -> assertThat(String.valueOf(output.path("value"))).doesNotContain("fcmServiceAccountKey"));
	}

	@Test
	void datesEveryApiVersion() {
		for (Bicep.Model file : files.values()) {
			file.resources()
				.forEach((symbol, resource) -> assertThat(resource.path("apiVersion").asString())
					.as(file.name() + " " + symbol)
					.matches("\\d{4}-\\d{2}-\\d{2}(-preview)?"));
		}
	}

	@Test
	void letsNoStorageAccountBeReachedWithKeysOrAnonymously() {
		List<JsonNode> accounts = new ArrayList<>();
		for (Bicep.Model file : files.values()) {
			accounts.addAll(file.resourcesOfType("Microsoft.Storage/storageAccounts").values());
		}
		assertThat(accounts).hasSize(2);
		assertThat(accounts).allSatisfy((account) -> {
			JsonNode properties = account.path("body").path("properties");
			assertThat(properties.path("allowSharedKeyAccess").isBoolean()).isTrue();
			assertThat(properties.path("allowSharedKeyAccess").asBoolean()).isFalse();
			assertThat(properties.path("allowBlobPublicAccess").asBoolean(true)).isFalse();
			assertThat(properties.path("supportsHttpsTrafficOnly").asBoolean()).isTrue();
			assertThat(properties.path("minimumTlsVersion").asString()).isEqualTo("TLS1_2");
		});
		for (Bicep.Model file : files.values()) {
			assertThat(file.resourcesOfType("Microsoft.Storage/storageAccounts/blobServices/containers").values())
				.isNotEmpty()
				.allSatisfy((container) -> assertThat(
						container.path("body").path("properties").path("publicAccess").asString())
					.isEqualTo("None"));
		}
	}

	@Test
	void hostsEachFamilyOnLinuxFlexConsumptionWithJavaAndAManagedIdentity() {
		JsonNode plan = this.app.body("plan");
		assertThat(this.app.resource("plan").path("type").asString()).isEqualTo("Microsoft.Web/serverfarms");
		assertThat(plan.path("sku").path("name").asString()).isEqualTo("FC1");
		assertThat(plan.path("sku").path("tier").asString()).isEqualTo("FlexConsumption");
		assertThat(plan.path("properties").path("reserved").asBoolean()).isTrue();

		JsonNode site = this.app.body("app");
		assertThat(this.app.resource("app").path("type").asString()).isEqualTo("Microsoft.Web/sites");
		assertThat(site.path("kind").asString()).isEqualTo("functionapp,linux");
		assertThat(site.path("identity").path("type").asString()).isEqualTo("SystemAssigned");
		JsonNode properties = site.path("properties");
		assertThat(Bicep.expression(properties.path("serverFarmId"))).isEqualTo("plan.id");
		assertThat(properties.path("httpsOnly").asBoolean()).isTrue();
		JsonNode config = properties.path("functionAppConfig");
		assertThat(config.path("runtime").path("name").asString()).isEqualTo("java");
		assertThat(Bicep.expression(config.path("runtime").path("version"))).isEqualTo("javaVersion");
		assertThat(
				this.app.param("javaVersion").path("decorators").path("allowed").valueStream().map(JsonNode::asString))
			.containsExactly("17", "21");
		assertThat(this.main.param("javaVersion").path("default").asString()).isIn("17", "21");
		assertThat(config.path("deployment").path("storage").path("authentication").path("type").asString())
			.isEqualTo("SystemAssignedIdentity");

		assertThat(this.main.modules()).containsOnlyKeys("resizer", "chat");
		this.main.modules()
			.forEach((symbol, module) -> assertThat(module.path("path").asString()).isEqualTo("function-app.bicep"));
	}

	@Test
	void capsHowFarEachFamilyScalesOutAndKeepsNoneWarmUnlessAsked() {
		JsonNode scale = this.app.body("app").path("properties").path("functionAppConfig").path("scaleAndConcurrency");
		assertThat(Bicep.expression(scale.path("maximumInstanceCount"))).isEqualTo("maximumInstanceCount");
		assertThat(this.app.param("maximumInstanceCount").path("decorators").path("maxValue").asInt()).isEqualTo(1000);
		Map<String, String> limits = Map.of("resizer", "resizerMaximumInstances", "chat", "chatMaximumInstances");
		limits.forEach((module, param) -> {
			assertThat(Bicep.expression(this.main.body(module).path("params").path("maximumInstanceCount")))
				.isEqualTo(param);
			assertThat(this.main.param(param).path("default").asInt()).isBetween(1, 1000);
		});
		assertThat(Bicep.expression(scale.path("alwaysReady"))).isEqualTo("alwaysReady");
		Map<String, String> warm = Map.of("resizer", "'function:" + BicepAlignmentTests.EVENT_FUNCTION + "'", "chat",
				"'http'");
		warm.forEach((module, group) -> {
			String param = module + "AlwaysReadyInstances";
			assertThat(this.main.param(param).path("default").asInt(-1)).as(param).isZero();
			assertThat(Bicep.expression(this.main.body(module).path("params").path("alwaysReady")))
				.startsWith(param + " == 0 ? [] : [")
				.contains("name: " + group)
				.contains("instanceCount: " + param);
		});
	}

	@Test
	void reachesStorageAsTheAppsIdentityWithNoConnectionStrings() {
		Map<String, JsonNode> settings = new LinkedHashMap<>();
		settings.putAll(appSettings(this.main, this.app, "resizer"));
		settings.putAll(appSettings(this.main, this.app, "chat"));
		assertThat(settings).containsKeys("MAIN_CLASS", "AzureWebJobsStorage__accountName");
		// Storage connection strings carry the account key; Application Insights' does
		// not.
		assertThat(settings.keySet()).noneMatch((name) -> name.equals("AzureWebJobsStorage")
				|| name.startsWith("SKYFOLD_") && name.contains("CONNECTIONSTRING"));
		assertThat(settings.values()).allSatisfy(
				(value) -> assertThat(String.valueOf(value)).doesNotContain("AccountKey").doesNotContain("listKeys"));
		assertThat(Bicep.expression(settings.get("SKYFOLD_IMAGERESIZER_AZURE_BLOB_ENDPOINT")))
			.isEqualTo("data.properties.primaryEndpoints.blob");
		assertThat(Bicep.expression(settings.get("SKYFOLD_CHAT_AZURE_ENDPOINT")))
			.isEqualTo("data.properties.primaryEndpoints.table");
	}

	@Test
	void startsTheJavaWorkerWithAClassDataSharingArchiveOnJava21() {
		Map<String, JsonNode> common = settings(this.app, this.app.variable("commonSettings"));
		assertThat(Bicep.expression(common.get("languageWorkers__java__arguments"))).isEqualTo("javaWorkerArguments");
		String arguments = Bicep.expression(this.app.variable("javaWorkerArguments"));
		assertThat(arguments).startsWith("javaVersion == '17'")
			.contains("-Djdk.httpclient.allowRestrictedHeaders=content-length")
			.contains("-XX:+AutoCreateSharedArchive -XX:SharedArchiveFile=/tmp/skyfold-${name}.jsa");
		// Java 17 has no AutoCreateSharedArchive: its arguments are the first branch.
		assertThat(arguments.substring(0, arguments.indexOf(':'))).doesNotContain("SharedArchive");
	}

	@Test
	void sendsTelemetryToApplicationInsightsWithTheAppsIdentity() {
		JsonNode insights = this.main.body("insights");
		assertThat(insights.path("properties").path("DisableLocalAuth").asBoolean()).isTrue();
		assertThat(Bicep.expression(insights.path("properties").path("WorkspaceResourceId"))).isEqualTo("logs.id");
		Map<String, JsonNode> common = settings(this.app, this.app.variable("commonSettings"));
		assertThat(Bicep.expression(common.get("APPLICATIONINSIGHTS_CONNECTION_STRING")))
			.isEqualTo("insights.properties.ConnectionString");
		assertThat(common.get("APPLICATIONINSIGHTS_AUTHENTICATION_STRING").asString()).isEqualTo("Authorization=AAD");
		// The agent that sends the skyfold.* meters of Micrometer's global registry as
		// custom metrics.
		assertThat(common.get("APPLICATIONINSIGHTS_ENABLE_AGENT").asString()).isEqualTo("true");
		JsonNode publisher = this.app.body("telemetryPublisher");
		assertThat(role(this.app, publisher)).isEqualTo("Monitoring Metrics Publisher");
		assertThat(Bicep.expression(publisher.path("scope"))).isEqualTo("insights");
	}

	@Test
	void grantsOnlyNamedBuiltInRolesOnSingleResourcesToServicePrincipals() {
		for (Bicep.Model file : files.values()) {
			Map<String, JsonNode> assignments = file.resourcesOfType("Microsoft.Authorization/roleAssignments");
			assertThat(assignments).isNotEmpty();
			assignments.forEach((symbol, resource) -> {
				JsonNode assignment = resource.path("body");
				assertThat(role(file, assignment)).as(symbol).isNotNull();
				String scope = Bicep.expression(assignment.path("scope"));
				assertThat(scope).as(symbol + " scope").isNotNull();
				assertThat(file.resources()).as(symbol + " scope").containsKey(scope);
				assertThat(assignment.path("properties").path("principalType").asString()).as(symbol)
					.isEqualTo("ServicePrincipal");
				JsonNode description = assignment.path("properties").path("description");
				assertThat(description.isString() || Bicep.expression(description) != null).as(symbol + " description")
					.isTrue();
			});
		}
	}

	@Test
	void letsTheResizerReadUploadsAndWriteUnderResizedOnly() {
		Map<String, JsonNode> grants = grantsTo("resizer.outputs.principalId");
		assertThat(grants).containsOnlyKeys("resizerReadsUploads", "resizerWritesThumbnails");

		JsonNode read = grants.get("resizerReadsUploads");
		assertThat(role(this.main, read)).isEqualTo("Storage Blob Data Reader");
		assertThat(Bicep.expression(read.path("scope"))).isEqualTo("images");
		assertThat(read.path("properties").path("conditionVersion").asString()).isEqualTo("2.0");
		String readCondition = this.main.resolve(read.path("properties").path("condition")).asString();
		assertThat(actions(readCondition)).containsExactly(BLOBS + "read");
		assertThat(pathPrefix(readCondition)).isEqualTo("uploads/");

		JsonNode write = grants.get("resizerWritesThumbnails");
		assertThat(role(this.main, write)).isEqualTo("Storage Blob Data Contributor");
		assertThat(Bicep.expression(write.path("scope"))).isEqualTo("images");
		assertThat(write.path("properties").path("conditionVersion").asString()).isEqualTo("2.0");
		String writeCondition = this.main.resolve(write.path("properties").path("condition")).asString();
		assertThat(actions(writeCondition)).isEqualTo(CONTRIBUTOR_DATA_ACTIONS);
		assertThat(pathPrefix(writeCondition)).isEqualTo(BicepAlignmentTests.RESIZED_PREFIX);
	}

	@Test
	void letsTheChatUseItsTableAndReadTheFcmKeyOnly() {
		Map<String, JsonNode> grants = grantsTo("chat.outputs.principalId");
		assertThat(grants).containsOnlyKeys("chatUsesMessages", "chatReadsFcmKey");
		JsonNode table = grants.get("chatUsesMessages");
		assertThat(role(this.main, table)).isEqualTo("Storage Table Data Contributor");
		assertThat(Bicep.expression(table.path("scope"))).isEqualTo("messages");
		assertThat(this.main.resource("messages").path("type").asString())
			.isEqualTo("Microsoft.Storage/storageAccounts/tableServices/tables");
		JsonNode key = grants.get("chatReadsFcmKey");
		assertThat(role(this.main, key)).isEqualTo("Key Vault Secrets User");
		assertThat(Bicep.expression(key.path("scope"))).isEqualTo("fcmSecret");
		assertThat(this.main.resource("chatReadsFcmKey").path("condition").asString()).isEqualTo("fcmEnabled");
	}

	@Test
	void givesEventGridOnlyTheDeadLetterContainer() {
		assertThat(grantsTo("storageEvents.identity.principalId"))
			.hasEntrySatisfying("eventsDeadLetter", (assignment) -> {
				assertThat(role(this.main, assignment)).isEqualTo("Storage Blob Data Contributor");
				assertThat(Bicep.expression(assignment.path("scope"))).isEqualTo("deadLetters");
			})
			.hasSize(1);
		Set<String> principals = new TreeSet<>();
		this.main.resourcesOfType("Microsoft.Authorization/roleAssignments")
			.values()
			.forEach((assignment) -> principals
				.add(Bicep.expression(assignment.path("body").path("properties").path("principalId"))));
		assertThat(principals).containsExactlyInAnyOrder("resizer.outputs.principalId", "chat.outputs.principalId",
				"storageEvents.identity.principalId");
	}

	@Test
	void deliversBlobCreatedAndDeletedUnderUploadsToResizeImage() {
		JsonNode topic = this.main.body("storageEvents").path("properties");
		assertThat(Bicep.expression(topic.path("source"))).isEqualTo("data.id");
		assertThat(topic.path("topicType").asString()).isEqualTo("Microsoft.Storage.StorageAccounts");

		JsonNode subscription = this.main.resource("uploadsToResizer");
		assertThat(subscription.path("type").asString())
			.isEqualTo("Microsoft.EventGrid/systemTopics/eventSubscriptions");
		assertThat(subscription.path("condition").asString()).isEqualTo("subscribeToUploads");
		assertThat(this.main.param("subscribeToUploads").path("default").asBoolean(true)).isFalse();
		JsonNode properties = subscription.path("body").path("properties");
		assertThat(properties.path("destination").path("endpointType").asString()).isEqualTo("AzureFunction");
		assertThat(Bicep.expression(properties.path("destination").path("properties").path("resourceId")))
			.isEqualTo("'${resizer.outputs.id}/functions/" + BicepAlignmentTests.EVENT_FUNCTION + "'");
		assertThat(properties.path("filter").path("includedEventTypes").valueStream().map(JsonNode::asString))
			.containsExactly("Microsoft.Storage.BlobCreated", "Microsoft.Storage.BlobDeleted");
		assertThat(Bicep.expression(properties.path("filter").path("subjectBeginsWith")))
			.isEqualTo("'/blobServices/default/containers/${imageContainer}/blobs/uploads/'");
		assertThat(properties.path("eventDeliverySchema").asString()).isIn("CloudEventSchemaV1_0", "EventGridSchema");
		assertThat(properties.path("retryPolicy").path("maxDeliveryAttempts").asInt()).isBetween(1, 30);
		JsonNode deadLetter = properties.path("deadLetterWithResourceIdentity");
		assertThat(deadLetter.path("identity").path("type").asString()).isEqualTo("SystemAssigned");
		assertThat(Bicep.expression(deadLetter.path("deadLetterDestination").path("properties").path("resourceId")))
			.isEqualTo("data.id");
		assertThat(this.main
			.resolve(deadLetter.path("deadLetterDestination").path("properties").path("blobContainerName")))
			.isEqualTo(this.main.resolve(this.main.body("deadLetters").path("name")));
	}

	@Test
	void requiresATokenFromTheIssuerForEveryChatRequest() {
		JsonNode authentication = this.main.resource("chatAuthentication");
		assertThat(authentication.path("type").asString()).isEqualTo("Microsoft.Web/sites/config");
		assertThat(authentication.path("condition").isNull()).isTrue();
		JsonNode body = authentication.path("body");
		assertThat(body.path("name").asString()).isEqualTo("authsettingsV2");
		assertThat(Bicep.expression(body.path("parent"))).isEqualTo("chatSite");
		assertThat(Bicep.expression(this.main.body("chatSite").path("name"))).isEqualTo("chatAppName");
		assertThat(Bicep.expression(this.main.body("chat").path("params").path("name"))).isEqualTo("chatAppName");
		JsonNode properties = body.path("properties");
		assertThat(properties.path("platform").path("enabled").asBoolean()).isTrue();
		assertThat(properties.path("globalValidation").path("requireAuthentication").asBoolean()).isTrue();
		assertThat(properties.path("globalValidation").path("unauthenticatedClientAction").asString())
			.isEqualTo("Return401");
		JsonNode providers = properties.path("identityProviders").path("customOpenIdConnectProviders");
		assertThat(providers.size()).isEqualTo(1);
		JsonNode registration = providers.values().iterator().next().path("registration");
		assertThat(Bicep.expression(registration.path("clientId"))).isEqualTo("tokenAudience");
		assertThat(
				Bicep.expression(registration.path("openIdConnectConfiguration").path("wellKnownOpenIdConfiguration")))
			.contains("tokenIssuer")
			.endsWith(".well-known/openid-configuration'");
		assertThat(this.main.param("tokenIssuer").path("default").isNull()).as("required").isTrue();
		assertThat(this.main.param("tokenAudience").path("default").isNull()).as("required").isTrue();
	}

	@Test
	void alertsTheActionGroupOnEachFamilysFailedInvocations() {
		JsonNode alert = this.main.resource("failureAlert");
		assertThat(alert.path("loop").asString()).isEqualTo("[for family in items(failureAlerts): ");
		JsonNode families = this.main.variable("failureAlerts");
		assertThat(Bicep.expression(families.path("resizer").path("appName"))).isEqualTo("resizerAppName");
		assertThat(Bicep.expression(families.path("chat").path("appName"))).isEqualTo("chatAppName");
		assertThat(families.properties()).hasSize(2)
			.allSatisfy((family) -> assertThat(family.getValue().path("description").asString()).isNotBlank());
		JsonNode properties = alert.path("body").path("properties");
		assertThat(Bicep.expression(properties.path("scopes").path(0))).isEqualTo("insights.id");
		JsonNode criterion = onlyCriterion(properties);
		assertThat(criterion.path("metricNamespace").asString()).isEqualTo("microsoft.insights/components");
		assertThat(criterion.path("metricName").asString()).isEqualTo("requests/failed");
		assertThat(criterion.path("dimensions")).hasSize(1);
		JsonNode dimension = criterion.path("dimensions").path(0);
		assertThat(dimension.path("name").asString()).isEqualTo("cloud/roleName");
		assertThat(dimension.path("operator").asString()).isEqualTo("Include");
		assertThat(Bicep.expression(dimension.path("values").path(0))).isEqualTo("family.value.appName");
		assertNotifiesTheActionGroupOnAnyOccurrence(properties, criterion);
	}

	@Test
	void alertsTheActionGroupWhenEventGridDeadLettersAnUpload() {
		JsonNode properties = this.main.body("deadLetterAlert").path("properties");
		assertThat(Bicep.expression(properties.path("scopes").path(0))).isEqualTo("storageEvents.id");
		JsonNode criterion = onlyCriterion(properties);
		assertThat(criterion.path("metricNamespace").asString()).isEqualTo("Microsoft.EventGrid/systemTopics");
		assertThat(criterion.path("metricName").asString()).isEqualTo("DeadLetteredCount");
		assertNotifiesTheActionGroupOnAnyOccurrence(properties, criterion);
	}

	@Test
	void alertsOnlyThroughTheActionGroupGivenAsAParameter() {
		assertThat(this.main.param("alertActionGroupId").path("type").asString()).isEqualTo("string");
		JsonNode fallback = this.main.param("alertActionGroupId").path("default");
		assertThat(fallback.isNull() || fallback.isMissingNode()).as("a default action group").isTrue();
		assertThat(this.main.resourcesOfType("Microsoft.Insights/metricAlerts")).containsOnlyKeys("failureAlert",
				"deadLetterAlert");
	}

	private static JsonNode onlyCriterion(JsonNode properties) {
		JsonNode criteria = properties.path("criteria");
		assertThat(criteria.path("odata.type").asString())
			.isEqualTo("Microsoft.Azure.Monitor.SingleResourceMultipleMetricCriteria");
		assertThat(criteria.path("allOf")).hasSize(1);
		return criteria.path("allOf").path(0);
	}

	private static void assertNotifiesTheActionGroupOnAnyOccurrence(JsonNode properties, JsonNode criterion) {
		assertThat(criterion.path("criterionType").asString()).isEqualTo("StaticThresholdCriterion");
		assertThat(criterion.path("operator").asString()).isEqualTo("GreaterThanOrEqual");
		assertThat(criterion.path("threshold").asInt()).isEqualTo(1);
		assertThat(properties.path("enabled").asBoolean()).isTrue();
		assertThat(properties.path("autoMitigate").asBoolean()).as("resolves once the condition clears").isTrue();
		assertThat(properties.path("actions")).hasSize(1);
		assertThat(Bicep.expression(properties.path("actions").path(0).path("actionGroupId")))
			.isEqualTo("alertActionGroupId");
		assertThat(
				properties.path("description").isString() || Bicep.expression(properties.path("description")) != null)
			.isTrue();
	}

	@Test
	void keepsTheFcmKeyInKeyVaultAndOutOfTheSettings() {
		assertThat(this.main.resource("vault").path("condition").asString()).isEqualTo("fcmEnabled");
		assertThat(this.main.body("vault").path("properties").path("enableRbacAuthorization").asBoolean()).isTrue();
		JsonNode secret = this.main.resource("fcmSecret");
		assertThat(secret.path("condition").asString()).isEqualTo("fcmEnabled");
		assertThat(Bicep.expression(secret.path("body").path("properties").path("value")))
			.isEqualTo("fcmServiceAccountKey");
		assertThat(Bicep.expression(this.main.variable("fcmEnabled"))).isEqualTo("!empty(fcmServiceAccountKey)");
		assertThat(Bicep.expression(this.main.body("chat").path("params").path("appSettings")))
			.isEqualTo("union(chatSettings, fcmEnabled ? chatFcmSettings : {})");
		assertThat(Bicep.expression(this.main.variable("chatFcmSettings").path("SKYFOLD_CHAT_AZURE_FCMCREDENTIALS")))
			.isEqualTo("'@Microsoft.KeyVault(VaultName=${vaultName};SecretName=${fcmSecretName})'");
		assertThat(Bicep.expression(this.main.body("vault").path("name"))).isEqualTo("vaultName");
		assertThat(Bicep.expression(secret.path("body").path("name"))).isEqualTo("fcmSecretName");
		assertThat(Bicep.expression(this.main.variable("chatSettings").path("SKYFOLD_CHAT_FCM_ENABLED")))
			.isEqualTo("fcmEnabled ? 'true' : 'false'");
	}

	/**
	 * A family's app settings: those every app gets, then the family's own.
	 * @param main the model of main.bicep
	 * @param app the model of function-app.bicep
	 * @param module the family's module in main.bicep
	 * @return the settings, by name
	 */
	static Map<String, JsonNode> appSettings(Bicep.Model main, Bicep.Model app, String module) {
		Map<String, JsonNode> settings = settings(app, app.variable("commonSettings"));
		settings.putAll(settings(main, main.body(module).path("params").path("appSettings")));
		return settings;
	}

	private static Map<String, JsonNode> settings(Bicep.Model file, JsonNode value) {
		Map<String, JsonNode> settings = new LinkedHashMap<>();
		if (value.isObject() && Bicep.expression(value) == null) {
			value.properties().forEach((entry) -> settings.put(entry.getKey(), entry.getValue()));
		}
		else {
			// Such as union(chatSettings, fcmEnabled ? chatFcmSettings : {}): every
			// setting
			// either side may add.
			for (String variable : file.variablesIn(value)) {
				JsonNode settingsVariable = file.variable(variable);
				if (settingsVariable.isObject() && Bicep.expression(settingsVariable) == null) {
					settings.putAll(settings(file, settingsVariable));
				}
			}
		}
		assertThat(settings).as("app settings " + value).isNotEmpty();
		return settings;
	}

	private Map<String, JsonNode> grantsTo(String principal) {
		Map<String, JsonNode> grants = new LinkedHashMap<>();
		this.main.resourcesOfType("Microsoft.Authorization/roleAssignments").forEach((symbol, resource) -> {
			if (principal.equals(Bicep.expression(resource.path("body").path("properties").path("principalId")))) {
				grants.put(symbol, resource.path("body"));
			}
		});
		return grants;
	}

	/** The name of the built-in role an assignment grants, or {@code null}. */
	private static @Nullable String role(Bicep.Model file, JsonNode assignment) {
		Matcher call = Pattern.compile("subscriptionResourceId\\('Microsoft.Authorization/roleDefinitions', (\\w+)\\)")
			.matcher(String.valueOf(Bicep.expression(assignment.path("properties").path("roleDefinitionId"))));
		if (!call.matches()) {
			return null;
		}
		return ROLES.get(file.variable(call.group(1)).asString());
	}

	private static Set<String> actions(String condition) {
		Set<String> actions = new TreeSet<>();
		Matcher matcher = ACTION.matcher(condition);
		while (matcher.find()) {
			actions.add(matcher.group(1));
		}
		return actions;
	}

	private static String pathPrefix(String condition) {
		Matcher matcher = PATH_PREFIX.matcher(condition);
		assertThat(matcher.find()).as("a blob path condition in " + condition).isTrue();
		String prefix = matcher.group(1);
		assertThat(matcher.find()).as("one blob path condition in " + condition).isFalse();
		return prefix;
	}

}
