package dev.skyfold.infra.kubernetes;

import java.awt.Color;
import java.awt.GradientPaint;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs the image that the {@code container-image} profile built (Jib's tar, loaded into
 * podman) as the manifests run it, and uses it as a client would: its probes, an upload
 * that gets its thumbnail, a chat message posted and read back, its heap sized from the
 * memory limit, and a graceful stop on the termination signal. Logs how long loading,
 * starting and stopping took.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ContainerImageIntegrationTests {

	private static final Logger logger = LoggerFactory.getLogger(ContainerImageIntegrationTests.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final String CLIENT = "container-admin";

	private static final String SECRET = "container-secret";

	private static final long MEMORY = 1024L * 1024 * 1024;

	private static final PodmanContainer container = new PodmanContainer(
			Path.of(System.getProperty("skyfold.image.tar", "../local/target/jib-image.tar")),
			System.getProperty("skyfold.image", ImageRecipe.read().image()), "1g",
			List.of("--skyfold.security.clients." + CLIENT + ".secret={noop}" + SECRET,
					"--skyfold.security.clients." + CLIENT + ".roles=admin"));

	private static final HttpClient http = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.connectTimeout(Duration.ofSeconds(5))
		.build();

	private static Duration startTime = Duration.ZERO;

	private static String token = "";

	@BeforeAll
	static void start() {
		long start = System.nanoTime();
		container.start();
		startTime = Duration.ofNanos(System.nanoTime() - start);
		token = token();
	}

	@AfterAll
	static void stop() {
		try {
			String size = container
				.podman(Duration.ofSeconds(30), "image", "inspect", "--format", "{{.Size}}",
						"localhost/" + ImageRecipe.read().image())
				.output()
				.trim();
			container.close();
			logger.info("Container figures: podman load {} ms, run to ready {} ms, stop {} ms, image {} bytes",
					container.loadTime().toMillis(), startTime.toMillis(), container.stopTime().toMillis(), size);
		}
		finally {
			container.removeImage();
		}
	}

	@Test
	@Order(1)
	void answersItsLivenessAndReadinessProbes() throws Exception {
		for (String probe : List.of("/actuator/health/liveness", "/actuator/health/readiness", "/actuator/health")) {
			HttpResponse<byte[]> response = send(request(probe, false).GET());
			assertThat(response.statusCode()).as(probe).isEqualTo(200);
			assertThat(json(response).path("status").asString()).as(probe).isEqualTo("UP");
		}
	}

	@Test
	@Order(2)
	void makesAThumbnailOfAnUploadedPhoto() throws Exception {
		String key = "uploads/container-" + UUID.randomUUID() + ".jpg";
		HttpResponse<byte[]> upload = send(request("/objects/" + key, true).header("Content-Type", "image/jpeg")
			.PUT(BodyPublishers.ofByteArray(photo(1200, 800))));
		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		JsonNode result = json(upload).path("notification").path("result");
		assertThat(result.path("outcome").asString()).as(text(upload)).isEqualTo("RESIZED");
		assertThat(result.path("written").get(0).path("key").asString()).isEqualTo("resized/" + key);
		HttpResponse<byte[]> thumbnail = send(request("/objects/resized/" + key, true).GET());
		assertThat(thumbnail.statusCode()).isEqualTo(200);
		assertThat(thumbnail.headers().firstValue("Content-Type")).hasValue("image/jpeg");
		BufferedImage image = ImageIO.read(new ByteArrayInputStream(thumbnail.body()));
		assertThat(image.getWidth()).isEqualTo(200);
		assertThat(image.getHeight()).isEqualTo(133);
	}

	@Test
	@Order(3)
	void storesAPostedMessageAndReadsItBack() throws Exception {
		String room = "container-" + UUID.randomUUID().toString().substring(0, 8);
		HttpResponse<byte[]> post = send(request("/fn/postMessage", true).header("Content-Type", "application/json")
			.POST(BodyPublishers.ofString("{\"room\":\"" + room + "\",\"text\":\"Hello from a container\","
					+ "\"clientMessageId\":\"c-1\"}")));
		assertThat(post.statusCode()).as(text(post)).isEqualTo(200);
		assertThat(json(post).path("author").asString()).isEqualTo(CLIENT);
		HttpResponse<byte[]> history = send(
				request("/fn/messageHistory", true).header("Content-Type", "application/json")
					.POST(BodyPublishers.ofString("{\"room\":\"" + room + "\",\"limit\":10}")));
		assertThat(history.statusCode()).as(text(history)).isEqualTo(200);
		assertThat(json(history).path("messages").values()).singleElement()
			.satisfies((message) -> assertThat(message.path("text").asString()).isEqualTo("Hello from a container"));
	}

	@Test
	@Order(4)
	void sizesItsHeapFromTheContainersMemoryLimit() throws Exception {
		HttpResponse<byte[]> response = send(request("/actuator/metrics/jvm.memory.max?tag=area:heap", true).GET());
		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		double heap = json(response).path("measurements").get(0).path("value").asDouble();
		// -XX:MaxRAMPercentage=60 of the 1 GiB limit, less what the collector keeps
		// aside.
		assertThat(heap / MEMORY).isBetween(ImageRecipe.read().heapFraction() - 0.1, ImageRecipe.read().heapFraction());
	}

	@Test
	@Order(5)
	void stopsGracefullyOnTheTerminationSignal() {
		container.stopProcess();
		assertThat(container.exitCode()).as("exit code; log:%n%s", container.log()).isEqualTo(143);
		assertThat(container.stopTime()).isLessThan(Duration.ofSeconds(30));
		assertThat(container.logLines()).anySatisfy((line) -> assertThat(line).contains("Graceful shutdown complete"));
	}

	private static String token() {
		HttpResponse<byte[]> response = send(request("/oauth2/token", false)
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString((CLIENT + ":" + SECRET).getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("grant_type=client_credentials")));
		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		return json(response).path("access_token").asString();
	}

	private static HttpRequest.Builder request(String path, boolean signedIn) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + container.port() + path))
			.timeout(Duration.ofSeconds(60));
		return signedIn ? request.header("Authorization", "Bearer " + token) : request;
	}

	private static HttpResponse<byte[]> send(HttpRequest.Builder request) {
		try {
			return http.send(request.build(), BodyHandlers.ofByteArray());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static JsonNode json(HttpResponse<byte[]> response) {
		return JSON.readTree(response.body());
	}

	private static String text(HttpResponse<byte[]> response) {
		return response.statusCode() + " " + new String(response.body(), StandardCharsets.UTF_8);
	}

	private static byte[] photo(int width, int height) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setPaint(new GradientPaint(0, 0, Color.ORANGE, width, height, Color.BLUE));
		graphics.fillRect(0, 0, width, height);
		graphics.dispose();
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		ImageIO.write(image, "jpeg", out);
		return out.toByteArray();
	}

}
