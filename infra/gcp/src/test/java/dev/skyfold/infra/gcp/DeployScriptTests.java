package dev.skyfold.infra.gcp;

import java.lang.reflect.Method;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import com.google.cloud.functions.CloudEventsFunction;
import com.google.cloud.functions.HttpFunction;
import dev.skyfold.chat.gcp.autoconfigure.ChatGcpAutoConfiguration;
import dev.skyfold.chat.gcp.firestore.MessageDocuments;
import dev.skyfold.gcp.functions.CloudEventsEntryPoint;
import dev.skyfold.gcp.functions.HttpEntryPoint;
import dev.skyfold.gcp.functions.SpringFunctions;
import dev.skyfold.imageresizer.gcp.autoconfigure.ImageResizerGcpAutoConfiguration;
import dev.skyfold.infra.gcp.DeployScript.Command;
import dev.skyfold.testsupport.contract.SkyfoldFunction;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.loopback.DocumentedSettings;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Checks {@code infra/gcp/deploy.sh} offline, against the code it deploys: every function
 * Google Cloud hosts (by the contract's table) is deployed with an entry point of the
 * right kind, an application and a handler bean that exist, triggers on the right events,
 * settings that bind documented properties, and a service account of its own with only
 * the roles it needs.
 */
class DeployScriptTests {

	private static final DeployScript script = DeployScript.read();

	/**
	 * What a deploy may set beside documented properties: the platform's own settings.
	 */
	private static final Set<String> PLATFORM_SETTINGS = Set.of(SpringFunctions.MAIN_CLASS, SpringFunctions.DEFINITION,
			"GOOGLE_CLOUD_PROJECT", "JAVA_TOOL_OPTIONS");

	/** Roles that would give a function far more than it needs. */
	private static final Set<String> BROAD_ROLES = Set.of("roles/owner", "roles/editor", "roles/storage.admin",
			"roles/storage.objectAdmin", "roles/datastore.owner", "roles/firebase.admin");

	@Test
	void deploysEveryFunctionGoogleCloudHostsWithItsDefinition() {
		for (SkyfoldFunction function : SkyfoldFunction.values()) {
			if (Host.GCP.trigger(function).isPresent()) {
				assertThat(script.deploy(function.functionName()))
					.as("gcloud functions deploy %s", function.functionName())
					.hasValueSatisfying((deploy) -> assertThat(deploy.environment())
						.containsEntry(SpringFunctions.DEFINITION, function.functionName()));
			}
			else {
				assertThat(script.deploy(function.functionName())).as("no deploy of %s", function.functionName())
					.isEmpty();
			}
		}
	}

	@Test
	void givesEachDeployAnEntryPointOfItsTriggersKindAndAHandlerBeanOfThatType() throws Exception {
		for (Command deploy : script.all("gcloud", "functions", "deploy")) {
			Class<?> entryPoint = Class.forName(deploy.option("entry-point"));
			boolean events = deploy.has("trigger-event-filters")
					|| deploy.environment().get(SpringFunctions.DEFINITION).equals("broadcastMessage");
			assertThat(entryPoint).as("entry point of %s", deploy.words())
				.isEqualTo(events ? CloudEventsEntryPoint.class : HttpEntryPoint.class);
			Class<?> handlerType = events ? CloudEventsFunction.class : HttpFunction.class;
			Class<?> application = Class.forName(deploy.environment().get(SpringFunctions.MAIN_CLASS));
			String handler = deploy.environment().get(SpringFunctions.DEFINITION) + SpringFunctions.HANDLER_SUFFIX;
			Method bean = beanMethod(handler);
			assertThat(handlerType.isAssignableFrom(bean.getReturnType()))
				.as("%s's handler %s is a %s", deploy.words(), bean, handlerType.getSimpleName())
				.isTrue();
			assertThat(application.getPackageName()).as("%s's application is in the module of %s", deploy.words(), bean)
				.isEqualTo(bean.getDeclaringClass().getPackageName().replace(".autoconfigure", ""));
		}
	}

	@Test
	void setsOnlyPlatformSettingsAndDocumentedProperties() {
		Set<String> bound = DocumentedSettings.environmentVariables(getClass().getClassLoader());
		for (Command deploy : script.all("gcloud", "functions", "deploy")) {
			assertThat(deploy.environment().keySet()).as("settings of %s", deploy.words())
				.filteredOn((name) -> !PLATFORM_SETTINGS.contains(name) && !bound.contains(name))
				.isEmpty();
		}
	}

	@Test
	void resizesOnTheBucketsFinalizedEventsAndRemovesThumbnailsOnItsDeletedEvents() {
		Command finalized = script.deploy("resizeImage").orElseThrow();
		assertThat(finalized.options("trigger-event-filters"))
			.containsExactlyInAnyOrder("type=google.cloud.storage.object.v1.finalized", "bucket=$BUCKET");
		Command deleted = script.deploy("resizeImageDeleted").orElseThrow();
		assertThat(deleted.options("trigger-event-filters"))
			.containsExactlyInAnyOrder("type=google.cloud.storage.object.v1.deleted", "bucket=$BUCKET");
		assertThat(deleted.environment()).containsEntry(SpringFunctions.DEFINITION, "resizeImage");
		assertThat(List.of(finalized, deleted)).allSatisfy((deploy) -> assertThat(deploy.has("retry")).isTrue());
	}

	@Test
	void broadcastsOnTheMessageDocumentsCreatedEventsAsJson() {
		Command broadcast = script.deploy("broadcastMessage").orElseThrow();
		assertThat(broadcast.has("no-allow-unauthenticated")).as("only Eventarc may call broadcastMessage").isTrue();
		Command trigger = script.all("gcloud", "eventarc", "triggers", "create").stream().findFirst().orElseThrow();
		assertThat(trigger.option("destination-run-service")).isEqualTo("broadcastmessage");
		assertThat(trigger.options("event-filters"))
			.containsExactlyInAnyOrder("type=google.cloud.firestore.document.v1.created", "database=(default)");
		assertThat(trigger.option("event-filters-path-pattern")).isEqualTo(
				"document=" + MessageDocuments.DEFAULT_ROOMS + "/{room}/" + MessageDocuments.MESSAGES + "/{message}");
		assertThat(trigger.option("event-data-content-type")).isEqualTo("application/json");
		assertThat(trigger.option("service-account")).isEqualTo(broadcast.option("service-account"));
		assertThat(script.all("gcloud", "functions", "add-invoker-policy-binding", "broadcastMessage")).singleElement()
			.satisfies((binding) -> assertThat(binding.option("member"))
				.isEqualTo("serviceAccount:" + broadcast.option("service-account")));
	}

	@Test
	void leavesTheChatsHttpFunctionsOpenForTheirOwnTokenCheck() {
		for (String function : List.of("postMessage", "messageHistory")) {
			Command deploy = script.deploy(function).orElseThrow();
			assertThat(deploy.has("trigger-http")).isTrue();
			assertThat(deploy.has("allow-unauthenticated")).as("%s verifies tokens itself", function).isTrue();
		}
	}

	@Test
	void runsEachFunctionAsAServiceAccountOfItsOwn() {
		Map<String, String> accounts = script.all("gcloud", "functions", "deploy")
			.stream()
			.collect(Collectors.toMap((deploy) -> deploy.words().get(3), (deploy) -> deploy.option("service-account")));
		assertThat(accounts.get("resizeImageDeleted")).isEqualTo(accounts.get("resizeImage"));
		assertThat(new HashSet<>(List.of(accounts.get("resizeImage"), accounts.get("postMessage"),
				accounts.get("messageHistory"), accounts.get("broadcastMessage"))))
			.hasSize(4);
	}

	@Test
	void grantsEachServiceAccountOnlyWhatItsFunctionNeeds() {
		assertThat(roles("skyfold-resize-image")).containsExactlyInAnyOrder("roles/storage.objectViewer if uploads/",
				"roles/storage.objectUser if resized/", "roles/eventarc.eventReceiver");
		assertThat(roles("skyfold-post-message")).containsExactly("roles/datastore.user");
		assertThat(roles("skyfold-message-history")).containsExactly("roles/datastore.viewer");
		assertThat(roles("skyfold-broadcast-message")).containsExactlyInAnyOrder("roles/firebasecloudmessaging.admin",
				"roles/eventarc.eventReceiver");
		assertThat(script.all("gcloud").stream().flatMap((command) -> command.options("role").stream()))
			.doesNotContainAnyElementsOf(BROAD_ROLES);
	}

	/**
	 * The roles granted to a service account, each with the folder its condition limits
	 * it to.
	 */
	private static List<String> roles(String account) {
		return script.commands()
			.stream()
			.filter((
					command) -> command.options("member").stream().anyMatch((member) -> member.contains(account + "@")))
			.filter((command) -> command.has("role"))
			.map((command) -> command.option("role") + folder(command))
			.toList();
	}

	private static String folder(Command binding) {
		List<String> conditions = binding.options("condition");
		if (conditions.isEmpty() || conditions.equals(List.of("None"))) {
			return "";
		}
		String condition = conditions.get(0);
		int objects = condition.indexOf("/objects/");
		return " if "
				+ condition.substring(objects + "/objects/".length(), condition.indexOf(')', objects)).replace("'", "");
	}

	private static Method beanMethod(String name) {
		return Arrays.stream(new Class<?>[] { ImageResizerGcpAutoConfiguration.class, ChatGcpAutoConfiguration.class })
			.flatMap((type) -> Arrays.stream(type.getDeclaredMethods()))
			.filter((method) -> method.getName().equals(name))
			.findFirst()
			.orElseThrow(() -> new AssertionError("No bean method " + name));
	}

}
