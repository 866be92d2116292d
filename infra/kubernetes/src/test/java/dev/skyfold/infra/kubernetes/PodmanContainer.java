package dev.skyfold.infra.kubernetes;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import dev.skyfold.testsupport.loopback.LoopbackProcessServer;
import dev.skyfold.testsupport.loopback.RequiredTools;
import org.jspecify.annotations.Nullable;

/**
 * The local app's image, run by podman as a cluster would run it: loaded from the tar
 * that Jib wrote, as its non-root user on a read-only root file system with {@code /tmp}
 * in memory and {@code /data} on a volume of its own, its memory limited, its port
 * published on {@code 127.0.0.1} only. Ready once its readiness probe answers 200.
 * Stopping it sends the termination signal a cluster sends and waits for the app to shut
 * down; the container, its volume and the loaded image are removed afterwards.
 * <p>
 * When podman or runc is missing, or podman cannot run containers here, the tests are
 * skipped, or fail when the environment variable {@code CI} is {@code true}; either way
 * the message says to {@code apt-get install podman runc}.
 */
final class PodmanContainer extends LoopbackProcessServer<PodmanContainer> {

	private static final String INSTALL_HINT = "apt-get install podman runc";

	/**
	 * What podman needs on these machines: runc (crun fails on hybrid cgroups), cgroupfs,
	 * events in a file, and limits that the sandbox does not have to raise.
	 */
	private static final String CONTAINERS_CONF = """
			[containers]
			default_ulimits = ["nofile=20000:20000", "nproc=32768:32768"]
			[engine]
			runtime = "runc"
			cgroup_manager = "cgroupfs"
			events_logger = "file"
			""";

	private static final int GRACE_SECONDS = 45;

	private final Path imageTar;

	private final String image;

	private final String memory;

	private final List<String> arguments;

	private final String name = "skyfold-it-" + UUID.randomUUID().toString().substring(0, 8);

	private @Nullable Path podman;

	private @Nullable Path configuration;

	private boolean imageLoaded;

	private Duration loadTime = Duration.ZERO;

	private Duration stopTime = Duration.ZERO;

	private int exitCode = -1;

	/**
	 * Creates a container that is not started yet.
	 * @param imageTar the tar Jib wrote
	 * @param image the image's name in it
	 * @param memory the memory limit, such as {@code 1g}
	 * @param arguments the app's arguments
	 */
	PodmanContainer(Path imageTar, String image, String memory, List<String> arguments) {
		super("podman", "skyfold-podman-", Duration.ofMinutes(4));
		this.imageTar = imageTar;
		this.image = image;
		this.memory = memory;
		this.arguments = List.copyOf(arguments);
	}

	@Override
	protected void prepare() {
		this.podman = RequiredTools.onPath("podman")
			.orElseThrow(() -> unavailable("podman is not installed: " + INSTALL_HINT));
		RequiredTools.onPath("runc").orElseThrow(() -> unavailable("runc is not installed: " + INSTALL_HINT));
		if (!Files.isRegularFile(this.imageTar)) {
			throw new IllegalStateException("No image at " + this.imageTar
					+ ": build it with ./mvnw package -Pcontainer-image -pl infra/local -am -DskipTests");
		}
	}

	@Override
	protected void initialize(Path folder) throws IOException {
		// Beside the container's folder, which goes with the container: the image
		// outlives it.
		Path conf = Files.createTempFile("skyfold-containers-", ".conf");
		Files.writeString(conf, CONTAINERS_CONF, StandardCharsets.UTF_8);
		this.configuration = conf;
		Result info = podman(Duration.ofMinutes(1), "info");
		if (info.code() != 0) {
			throw unavailable("podman cannot run containers here (" + INSTALL_HINT + ", as root): " + info.output());
		}
		long start = System.nanoTime();
		Result load = podman(Duration.ofMinutes(3), "load", "--quiet", "--input", this.imageTar.toString());
		this.loadTime = Duration.ofNanos(System.nanoTime() - start);
		if (load.code() != 0 || !load.output().contains(this.image)) {
			throw new IllegalStateException(
					"podman load of " + this.imageTar + " did not load " + this.image + ": " + load.output());
		}
		this.imageLoaded = true;
	}

	@Override
	protected List<String> command(Path folder, int port) {
		List<String> command = new ArrayList<>(List.of(requireRunning(this.podman).toString(), "run", "--name",
				this.name, "--read-only", "--tmpfs", "/tmp:rw,mode=1777", "--volume", volume() + ":/data", "--memory",
				this.memory, "--publish", LOOPBACK + ":" + port + ":8080", "--stop-timeout",
				Integer.toString(GRACE_SECONDS), localImage()));
		command.addAll(this.arguments);
		return command;
	}

	@Override
	protected void environment(Path folder, int port, Map<String, String> environment) {
		environment.put("CONTAINERS_CONF", requireRunning(this.configuration).toString());
	}

	@Override
	protected void probe(int port) throws Exception {
		HttpResponse<String> response = probeHttp(
				HttpRequest.newBuilder(URI.create("http://" + LOOPBACK + ":" + port + "/actuator/health/readiness")));
		if (response.statusCode() != 200 || !response.body().contains("\"UP\"")) {
			throw new IllegalStateException("Not ready: " + response.statusCode() + " " + response.body());
		}
	}

	@Override
	protected void stop(Process running, Path folder) {
		long start = System.nanoTime();
		try {
			// As the kubelet does: the termination signal, then a kill after the grace
			// period.
			Result stop = podman(Duration.ofSeconds(GRACE_SECONDS + 15), "stop", "--time",
					Integer.toString(GRACE_SECONDS), this.name);
			if (stop.code() == 0) {
				this.stopTime = Duration.ofNanos(System.nanoTime() - start);
				Result inspect = podman(Duration.ofSeconds(30), "inspect", "--format", "{{.State.ExitCode}}",
						this.name);
				if (inspect.code() == 0) {
					this.exitCode = Integer.parseInt(inspect.output().trim());
				}
			}
			if (!running.waitFor(15, TimeUnit.SECONDS)) {
				running.destroyForcibly();
			}
		}
		catch (InterruptedException ex) {
			running.destroyForcibly();
			Thread.currentThread().interrupt();
		}
		finally {
			podmanQuietly("rm", "--force", "--volumes", this.name);
			podmanQuietly("volume", "rm", "--force", volume());
		}
	}

	/**
	 * Removes the image that {@link #start()} loaded, once the container is gone, and
	 * podman's configuration file.
	 */
	void removeImage() {
		if (this.imageLoaded) {
			podmanQuietly("rmi", "--force", localImage());
			this.imageLoaded = false;
		}
		Path conf = this.configuration;
		if (conf != null) {
			try {
				Files.deleteIfExists(conf);
			}
			catch (IOException ex) {
				// A leftover temporary file is no reason to fail a test.
			}
			this.configuration = null;
		}
	}

	/**
	 * How long {@code podman load} of the image's tar took.
	 * @return the time
	 */
	Duration loadTime() {
		return this.loadTime;
	}

	/**
	 * How long the container took to stop, once {@link #stopProcess()} or
	 * {@link #close()} stopped it.
	 * @return the time
	 */
	Duration stopTime() {
		return this.stopTime;
	}

	/**
	 * The app's exit code once stopped: 143 is the JVM's answer to the termination signal
	 * after its shutdown hooks ran, 137 a kill at the end of the grace period.
	 * @return the code, -1 when not known
	 */
	int exitCode() {
		return this.exitCode;
	}

	/**
	 * Runs a podman command against this container's configuration.
	 * @param timeout how long it may take
	 * @param arguments podman's arguments
	 * @return its exit code and output
	 */
	Result podman(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(requireRunning(this.podman).toString());
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		builder.environment().put("CONTAINERS_CONF", requireRunning(this.configuration).toString());
		try {
			Process process = builder.start();
			process.getOutputStream().close();
			byte[] output = process.getInputStream().readAllBytes();
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly();
				return new Result(-1, "timed out: " + new String(output, StandardCharsets.UTF_8));
			}
			return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
		}
		catch (IOException ex) {
			return new Result(-1, ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return new Result(-1, ex.toString());
		}
	}

	private void podmanQuietly(String... arguments) {
		if (this.podman != null && this.configuration != null) {
			podman(Duration.ofMinutes(1), arguments);
		}
	}

	private String localImage() {
		return this.image.contains("/") ? this.image : "localhost/" + this.image;
	}

	private String volume() {
		return this.name + "-data";
	}

	/**
	 * What a podman command did.
	 *
	 * @param code its exit code, -1 when it did not finish
	 * @param output its output and errors
	 */
	record Result(int code, String output) {
	}

}
