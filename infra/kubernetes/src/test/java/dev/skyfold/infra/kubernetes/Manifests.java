package dev.skyfold.infra.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The manifests under {@code infra/kubernetes}, read with fabric8's models as a cluster
 * would read them: the Kubernetes Deployment, Service and HorizontalPodAutoscaler, and
 * the Knative Service, and the claim of the bucket the replicas share.
 *
 * @param deployment {@code kubernetes/deployment.yaml}
 * @param service {@code kubernetes/service.yaml}
 * @param autoscaler {@code kubernetes/horizontal-pod-autoscaler.yaml}
 * @param knativeService {@code knative/service.yaml}
 * @param dataClaim {@code kubernetes/persistent-volume-claim.yaml}
 */
record Manifests(Deployment deployment, Service service, HorizontalPodAutoscaler autoscaler,
		io.fabric8.knative.serving.v1.Service knativeService, PersistentVolumeClaim dataClaim) {

	private static final KubernetesSerialization SERIALIZATION = new KubernetesSerialization();

	/**
	 * Reads the manifests from the folder that the build names.
	 * @return the manifests
	 */
	static Manifests read() {
		Path folder = Path.of(System.getProperty("skyfold.kubernetes.manifests", "."));
		return new Manifests(read(folder.resolve("kubernetes/deployment.yaml"), Deployment.class),
				read(folder.resolve("kubernetes/service.yaml"), Service.class),
				read(folder.resolve("kubernetes/horizontal-pod-autoscaler.yaml"), HorizontalPodAutoscaler.class),
				read(folder.resolve("knative/service.yaml"), io.fabric8.knative.serving.v1.Service.class),
				read(folder.resolve("kubernetes/persistent-volume-claim.yaml"), PersistentVolumeClaim.class));
	}

	/**
	 * Every manifest, as the generic resource a cluster sees first.
	 * @return the manifests
	 */
	List<HasMetadata> all() {
		return List.of(this.deployment, this.service, this.autoscaler, this.knativeService, this.dataClaim);
	}

	/**
	 * The app's container in the Deployment.
	 * @return the container
	 */
	Container deploymentContainer() {
		return this.deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
	}

	/**
	 * The app's container in the Knative Service.
	 * @return the container
	 */
	Container knativeContainer() {
		return this.knativeService.getSpec().getTemplate().getSpec().getContainers().get(0);
	}

	/**
	 * The app's containers in every manifest that runs it.
	 * @return the Deployment's and the Knative Service's
	 */
	List<Container> appContainers() {
		return List.of(deploymentContainer(), knativeContainer());
	}

	private static <T extends HasMetadata> T read(Path file, Class<T> type) {
		try (InputStream in = Files.newInputStream(file)) {
			// Read as a cluster would: by apiVersion and kind, not by the type expected.
			Object resource = SERIALIZATION.unmarshal(in);
			if (!type.isInstance(resource)) {
				throw new IllegalStateException(file + " holds a " + resource.getClass().getName() + ", not a "
						+ type.getName() + ": check its apiVersion and kind");
			}
			return type.cast(resource);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
