package dev.skyfold.infra.kubernetes;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeMount;
import io.fabric8.kubernetes.api.model.autoscaling.v2.CrossVersionObjectReference;
import io.fabric8.kubernetes.api.model.autoscaling.v2.MetricSpec;
import org.junit.jupiter.api.Test;
import org.springframework.boot.convert.DurationStyle;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

/**
 * Checks the Knative and Kubernetes manifests offline, against the image the
 * {@code container-image} profile builds and the app it runs: what they declare, the
 * image, the probes, ports and memory, the secrets, the scale-out profile, and that every
 * environment variable binds a documented setting.
 */
class ManifestTests {

	private static final Manifests manifests = Manifests.read();

	private static final ImageRecipe recipe = ImageRecipe.read();

	private static final AppSettings app = AppSettings.read();

	/**
	 * Spring Boot's own settings that the manifests set, each with why: Spring Boot's
	 * keys are not {@code skyfold.*}, so they are listed here one by one.
	 */
	private static final Map<String, String> SPRING_BOOT_SETTINGS = Map.of("SPRING_PROFILES_ACTIVE",
			"the redis profile: the scale-out relay and shared rate limits", "SPRING_DATASOURCE_URL",
			"the one PostgreSQL database every replica stores the chat in", "SPRING_DATASOURCE_USERNAME", "its user",
			"SPRING_DATASOURCE_PASSWORD", "its password", "SPRING_DATA_REDIS_URL",
			"the one Redis every replica relays through", "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI",
			"the external issuer every replica trusts", "SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_AUDIENCES",
			"the audience the issuer's tokens are for", "LOGGING_STRUCTURED_FORMAT_CONSOLE",
			"JSON log lines for the cluster's log collector");

	/** What the platforms themselves read, beside properties. */
	private static final Set<String> PLATFORM_VARIABLES = Set.of("JAVA_TOOL_OPTIONS");

	private static final String LIVENESS = "/actuator/health/liveness";

	private static final String READINESS = "/actuator/health/readiness";

	/** Metaspace, code cache, threads' stacks and the native decoder's buffers. */
	private static final long NON_HEAP_FLOOR = 384L * 1024 * 1024;

	@Test
	void declaresADeploymentAServiceAnAutoscalerAKnativeServiceAndTheSharedBucketsClaim() {
		assertThat(manifests.all()).extracting(HasMetadata::getApiVersion, HasMetadata::getKind)
			.containsExactly(tuple("apps/v1", "Deployment"), tuple("v1", "Service"),
					tuple("autoscaling/v2", "HorizontalPodAutoscaler"), tuple("serving.knative.dev/v1", "Service"),
					tuple("v1", "PersistentVolumeClaim"));
		assertThat(List.of(manifests.deployment(), manifests.service(), manifests.autoscaler(),
				manifests.knativeService()))
			.allSatisfy((manifest) -> assertThat(manifest.getMetadata().getName()).isEqualTo("skyfold-local"));
	}

	@Test
	void runsTheImageThatTheContainerProfileBuilds() {
		assertThat(manifests.appContainers()).extracting(Container::getImage).containsOnly(recipe.image());
		assertThat(recipe.image())
			.isEqualTo("skyfold-local:" + System.getProperty("skyfold.version", "0.1.0-SNAPSHOT"));
	}

	@Test
	void probesTheActuatorsLivenessAndReadinessGroupsOnTheImagesPort() {
		Map<String, String> settings = app.yaml(null);
		assertThat(settings).containsEntry("management.endpoint.health.probes.enabled", "true")
			.doesNotContainKeys("management.server.port", "management.endpoints.web.base-path", "server.port",
					"server.servlet.context-path");
		assertThat(settings.get("management.endpoints.web.exposure.include")).contains("health");
		int port = recipe.ports().get(0);
		Container deployment = manifests.deploymentContainer();
		assertThat(deployment.getPorts()).singleElement().satisfies((declared) -> {
			assertThat(declared.getContainerPort()).isEqualTo(port);
			assertThat(declared.getName()).isEqualTo("http");
		});
		assertThat(path(deployment.getLivenessProbe())).isEqualTo(LIVENESS);
		assertThat(path(deployment.getReadinessProbe())).isEqualTo(READINESS);
		assertThat(path(deployment.getStartupProbe())).isIn(LIVENESS, READINESS);
		assertThat(List.of(deployment.getLivenessProbe(), deployment.getReadinessProbe(), deployment.getStartupProbe()))
			.allSatisfy((probe) -> assertThat(probe.getHttpGet().getPort().getStrVal()).isEqualTo("http"));
		Container knative = manifests.knativeContainer();
		assertThat(knative.getPorts()).singleElement()
			.satisfies((declared) -> assertThat(declared.getContainerPort()).isEqualTo(port));
		assertThat(path(knative.getLivenessProbe())).isEqualTo(LIVENESS);
		assertThat(path(knative.getReadinessProbe())).isEqualTo(READINESS);
		assertThat(path(knative.getStartupProbe())).isEqualTo(READINESS);
		assertThat(List.of(knative.getLivenessProbe(), knative.getReadinessProbe(), knative.getStartupProbe()))
			.allSatisfy((probe) -> assertThat(probe.getHttpGet().getPort().getIntVal()).isEqualTo(port));
	}

	@Test
	void givesTheStartupProbeTimeForTheChatsWarmUp() {
		for (Container container : manifests.appContainers()) {
			Probe startup = container.getStartupProbe();
			assertThat(startup.getPeriodSeconds() * startup.getFailureThreshold()).as(container.getName())
				.isGreaterThanOrEqualTo(90);
		}
	}

	@Test
	void exposesTheContainersPortThroughTheService() {
		var spec = manifests.service().getSpec();
		assertThat(spec.getSelector())
			.isEqualTo(manifests.deployment().getSpec().getTemplate().getMetadata().getLabels())
			.isEqualTo(manifests.deployment().getSpec().getSelector().getMatchLabels());
		assertThat(spec.getPorts()).singleElement()
			.satisfies((port) -> assertThat(port.getTargetPort().getStrVal())
				.isEqualTo(manifests.deploymentContainer().getPorts().get(0).getName()));
	}

	@Test
	void scalesTheDeploymentOnCpuFromTwoReplicas() {
		var spec = manifests.autoscaler().getSpec();
		CrossVersionObjectReference target = spec.getScaleTargetRef();
		assertThat(target.getApiVersion()).isEqualTo(manifests.deployment().getApiVersion());
		assertThat(target.getKind()).isEqualTo(manifests.deployment().getKind());
		assertThat(target.getName()).isEqualTo(manifests.deployment().getMetadata().getName());
		assertThat(spec.getMinReplicas()).isGreaterThanOrEqualTo(2);
		assertThat(spec.getMaxReplicas()).isGreaterThan(spec.getMinReplicas());
		assertThat(spec.getMetrics()).extracting(MetricSpec::getType).containsExactly("Resource");
		assertThat(spec.getMetrics().get(0).getResource().getName()).isEqualTo("cpu");
		assertThat(manifests.deploymentContainer().getResources().getRequests())
			.as("utilization is measured against the request")
			.containsKey("cpu");
	}

	@Test
	void readsTheDatabaseAndRedisFromSecrets() {
		for (Container container : manifests.appContainers()) {
			Map<String, EnvVar> env = env(container);
			for (String name : List.of("SPRING_DATASOURCE_URL", "SPRING_DATASOURCE_USERNAME",
					"SPRING_DATASOURCE_PASSWORD", "SPRING_DATA_REDIS_URL")) {
				assertThat(env).as("%s of %s", name, container.getName()).containsKey(name);
				EnvVar variable = env.get(name);
				assertThat(variable.getValue()).as(name).isNull();
				assertThat(variable.getValueFrom().getSecretKeyRef()).as(name).isNotNull();
				assertThat(variable.getValueFrom().getSecretKeyRef().getOptional()).as(name).isNotEqualTo(Boolean.TRUE);
			}
		}
		Map<String, EnvVar> deployment = env(manifests.deploymentContainer());
		assertThat(deployment.get("SPRING_DATASOURCE_URL").getValueFrom().getSecretKeyRef().getName())
			.isEqualTo("skyfold-postgres");
		assertThat(deployment.get("SPRING_DATA_REDIS_URL").getValueFrom().getSecretKeyRef().getName())
			.isEqualTo("skyfold-redis");
		// Cloud Run reads a secret's key as its Secret Manager version.
		assertThat(manifests.knativeContainer().getEnv()).filteredOn((variable) -> variable.getValueFrom() != null)
			.allSatisfy(
					(variable) -> assertThat(variable.getValueFrom().getSecretKeyRef().getKey()).isEqualTo("latest"));
	}

	@Test
	void scalesOutWithTheRedisProfileAndAnExternalIssuer() {
		assertThat(app.hasProfile("redis")).isTrue();
		assertThat(app.yaml("redis")).containsEntry("skyfold.local.fanout", "redis");
		for (Container container : manifests.appContainers()) {
			Map<String, EnvVar> env = env(container);
			assertThat(env.get("SPRING_PROFILES_ACTIVE").getValue()).as(container.getName()).isEqualTo("redis");
			assertThat(env).as("every replica trusts the same issuer")
				.containsKey("SPRING_SECURITY_OAUTH2_RESOURCESERVER_JWT_ISSUERURI");
			assertThat(env.get("SKYFOLD_LOCAL_DATA").getValue()).isEqualTo(recipe.volumes().get(0));
		}
	}

	@Test
	void setsOnlyDocumentedPropertiesAndKnownPlatformVariables() {
		Set<String> skyfold = app.skyfoldVariables();
		assertThat(skyfold).as("the app's documented settings").contains("SKYFOLD_LOCAL_DATA");
		Set<String> documented = app.documentedVariables();
		for (Container container : manifests.appContainers()) {
			assertThat(container.getEnv()).extracting(EnvVar::getName)
				.as("settings of %s", container.getName())
				.filteredOn((name) -> !skyfold.contains(name) && !SPRING_BOOT_SETTINGS.containsKey(name)
						&& !PLATFORM_VARIABLES.contains(name))
				.isEmpty();
		}
		assertThat(SPRING_BOOT_SETTINGS.keySet()).as("Spring Boot's settings bind properties it documents")
			.filteredOn((name) -> !name.equals("SPRING_PROFILES_ACTIVE") && !documented.contains(name))
			.isEmpty();
		assertThat(recipe.environment().keySet()).as("the image's own environment").isSubsetOf(skyfold);
	}

	@Test
	void limitsMemorySoTheHeapLeavesRoomForNativeMemory() {
		for (Container container : manifests.appContainers()) {
			Quantity limit = container.getResources().getLimits().get("memory");
			assertThat(limit).as("memory limit of %s", container.getName()).isNotNull();
			long bytes = Quantity.getAmountInBytes(limit).longValue();
			long heap = (long) (bytes * recipe.heapFraction());
			assertThat(heap).as("heap").isGreaterThanOrEqualTo(256L * 1024 * 1024);
			assertThat(bytes - heap).as("memory beyond the heap").isGreaterThanOrEqualTo(NON_HEAP_FLOOR);
		}
		assertThat(manifests.deploymentContainer().getResources().getRequests().get("memory"))
			.as("requested as limited, so the node has it")
			.isEqualTo(manifests.deploymentContainer().getResources().getLimits().get("memory"));
		assertThat(recipe.jvmFlags()).contains("-XX:+ExitOnOutOfMemoryError");
	}

	@Test
	void runsAsTheImagesNonRootUserOnAReadOnlyRootFileSystem() {
		PodSpec pod = manifests.deployment().getSpec().getTemplate().getSpec();
		assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
		assertThat(pod.getSecurityContext().getRunAsUser()).isEqualTo(recipe.userId()).isNotZero();
		assertThat(pod.getSecurityContext().getRunAsGroup()).isEqualTo(recipe.groupId());
		assertThat(pod.getSecurityContext().getFsGroup()).isEqualTo(recipe.groupId());
		Container container = manifests.deploymentContainer();
		assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
		assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
		assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
		Map<String, String> mounts = new HashMap<>();
		for (VolumeMount mount : container.getVolumeMounts()) {
			mounts.put(mount.getMountPath(), mount.getName());
		}
		String data = env(container).get("SKYFOLD_LOCAL_DATA").getValue();
		assertThat(mounts).as("writable folders").containsOnlyKeys("/tmp", data);
		assertThat(recipe.volumes()).containsExactly(data);
		assertThat(pod.getVolumes()).extracting(Volume::getName).containsExactlyInAnyOrderElementsOf(mounts.values());
		Map<String, Volume> volumes = new HashMap<>();
		pod.getVolumes().forEach((volume) -> volumes.put(volume.getName(), volume));
		assertThat(volumes.get(mounts.get("/tmp")).getEmptyDir()).as("/tmp is the pod's own").isNotNull();
		assertThat(volumes.get(mounts.get(data)).getPersistentVolumeClaim().getClaimName())
			.as("the bucket is one claim that every replica mounts")
			.isEqualTo(manifests.dataClaim().getMetadata().getName());
		assertThat(manifests.dataClaim().getSpec().getAccessModes()).containsExactly("ReadWriteMany");
		assertThat(recipe.jvmFlags()).as("the native decoder unpacks under /tmp")
			.contains("-Dorg.bytedeco.javacpp.cachedir=/tmp/javacpp");
	}

	@Test
	void waitsLongerForShutdownThanTheAppsGracefulShutdownTakes() {
		Map<String, String> settings = app.yaml(null);
		assertThat(settings.getOrDefault("server.shutdown", "graceful")).isEqualTo("graceful");
		Duration shutdown = DurationStyle
			.detectAndParse(settings.getOrDefault("spring.lifecycle.timeout-per-shutdown-phase", "30s"));
		PodSpec pod = manifests.deployment().getSpec().getTemplate().getSpec();
		long preStop = manifests.deploymentContainer().getLifecycle().getPreStop().getSleep().getSeconds();
		assertThat(pod.getTerminationGracePeriodSeconds()).isGreaterThan(preStop + shutdown.toSeconds());
	}

	private static String path(Probe probe) {
		assertThat(probe).isNotNull();
		return probe.getHttpGet().getPath();
	}

	private static Map<String, EnvVar> env(Container container) {
		Map<String, EnvVar> env = new HashMap<>();
		for (EnvVar variable : container.getEnv()) {
			assertThat(env.put(variable.getName(), variable)).as("%s set twice", variable.getName()).isNull();
		}
		return env;
	}

}
