package dev.skyfold.local;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.CookieManager;
import java.net.InetAddress;
import java.net.URI;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.extension.TestExecutionExceptionHandler;
import tools.jackson.databind.JsonNode;

import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.contentType;
import static dev.skyfold.local.LocalApi.json;
import static dev.skyfold.local.LocalApi.text;
import static dev.skyfold.local.TestImages.decode;
import static dev.skyfold.local.TestImages.pixel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;
import static org.assertj.core.api.Assertions.within;

/**
 * The packaged app as users run it: {@code java -jar} on the executable jar in its own
 * process with a 256 MB heap, on a loopback port, with its bucket in a temporary folder.
 * Runs after {@code package}; a failure shows the tail of the app's log.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ExecutableJarIntegrationTests {

	private static final Path JAR = Path.of("target", "skyfold-local-0.1.0-SNAPSHOT.jar");

	private static final Path LOG = Path.of("target", "executable-jar-it.log");

	private static final Duration STARTUP = Duration.ofSeconds(120);

	private static Path work;

	private static Path storage;

	private static Process app;

	private static int port;

	private static LocalApi api;

	@RegisterExtension
	static final TestExecutionExceptionHandler SHOW_APP_LOG = ExecutableJarIntegrationTests::withLogTail;

	@BeforeAll
	static void startJar() throws Exception {
		assertThat(JAR).as("the executable jar; build it with ./mvnw -pl infra/local package").isRegularFile();
		work = Files.createTempDirectory("skyfold-local-jar-it-");
		storage = work.resolve("storage");
		port = freePort();
		String java = ProcessHandle.current().info().command().orElse("java");
		List<String> command = List.of(java, "-Xmx256m", "-jar", JAR.toAbsolutePath().toString(),
				"--server.address=127.0.0.1", "--server.port=" + port, "--skyfold.local.data=" + storage,
				// A script's client; no user, so that the app makes its admin.
				"--skyfold.security.clients.test-admin.secret={noop}admin-secret",
				"--skyfold.security.clients.test-admin.roles=admin");
		Files.createDirectories(LOG.getParent());
		app = new ProcessBuilder(command).directory(work.toFile())
			.redirectErrorStream(true)
			.redirectOutput(LOG.toFile())
			.start();
		api = new LocalApi(port);
		awaitHealthy();
	}

	@AfterAll
	static void stopJar() throws InterruptedException {
		if (app != null) {
			app.destroy();
			if (!app.waitFor(20, TimeUnit.SECONDS)) {
				app.destroyForcibly();
				app.waitFor(10, TimeUnit.SECONDS);
			}
		}
		if (work != null) {
			FileSystemUtils.deleteRecursively(work.toFile());
		}
	}

	@Test
	@Order(0)
	void makesAnAdminWithAGeneratedPasswordPrintedOnceAndKeepsOnlyItsHash() throws Exception {
		Matcher printed = Pattern.compile("Sign in as 'admin' with the generated password: (\\S+)").matcher(log());
		assertThat(printed.find()).as("the generated password in the log").isTrue();
		String password = printed.group(1);
		assertThat(printed.find()).as("printed once").isFalse();
		Path hash = storage.resolve(".security/admin-password.hash");
		assertThat(Files.readString(hash)).startsWith("{bcrypt}").doesNotContain(password);
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(hash))).isEqualTo("rw-------");

		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		String base = "http://127.0.0.1:" + port;
		String form = browser.send(HttpRequest.newBuilder(URI.create(base + "/login")).build(), BodyHandlers.ofString())
			.body();
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
		assertThat(csrf.find()).as("the sign-in form's CSRF token in:%n%s", form).isTrue();
		HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(base + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(BodyPublishers.ofString("username=admin&password=" + password + "&_csrf=" + csrf.group(1)))
			.build(), BodyHandlers.ofString());
		assertThat(signedIn.statusCode()).isEqualTo(302);
		assertThat(signedIn.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).doesNotContain("error"));
		HttpResponse<String> me = browser.send(HttpRequest.newBuilder(URI.create(base + "/me")).build(),
				BodyHandlers.ofString());
		assertThat(me.statusCode()).as(me.body()).isEqualTo(200);
		assertThat(me.body()).contains("\"role\":\"admin\"");
	}

	@Test
	@Order(1)
	void uploadsLargePhotoAndServesItsThumbnail() {
		byte[] photo = TestImages.photoJpeg(4000, 3000);
		String key = "camera/DSC 0001.jpg";

		HttpResponse<byte[]> upload = api.put(key, photo, "image/jpeg");

		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		JsonNode result = json(upload).path("notification").path("result");
		assertThat(result.path("outcome").asString()).as(text(upload)).isEqualTo("RESIZED");
		assertThat(result.path("sourceWidth").asInt()).isEqualTo(4000);
		assertThat(result.path("sourceHeight").asInt()).isEqualTo(3000);
		HttpResponse<byte[]> thumbnail = api.get("resized/" + key);
		assertThat(thumbnail.statusCode()).as(text(thumbnail)).isEqualTo(200);
		assertThat(contentType(thumbnail)).isEqualTo("image/jpeg");
		BufferedImage image = decode(thumbnail.body());
		assertThat(image.getWidth()).isEqualTo(200);
		assertThat(image.getHeight()).isEqualTo(150);
		assertThat(pixel(image, 50, 75).getRed()).isGreaterThan(150);
		assertThat(pixel(image, 150, 75).getBlue()).isGreaterThan(150);
	}

	@Test
	@Order(2)
	void uploadsPngWithTransparencyAndKeepsItInItsThumbnail() {
		byte[] png = TestImages.pngWithAlpha(1600, 1200);
		String key = "graphics/logo.png";

		HttpResponse<byte[]> upload = api.put(key, png, "image/png");

		assertThat(upload.statusCode()).as(text(upload)).isEqualTo(201);
		assertThat(json(upload).path("notification").path("result").path("outcome").asString()).as(text(upload))
			.isEqualTo("RESIZED");
		HttpResponse<byte[]> thumbnail = api.get("resized/" + key);
		assertThat(thumbnail.statusCode()).as(text(thumbnail)).isEqualTo(200);
		assertThat(contentType(thumbnail)).isEqualTo("image/png");
		BufferedImage image = decode(thumbnail.body());
		assertThat(image.getWidth()).isEqualTo(200);
		assertThat(image.getHeight()).isEqualTo(150);
		assertThat(image.getColorModel().hasAlpha()).isTrue();
		Color opaque = pixel(image, 50, 75);
		assertThat(opaque.getAlpha()).isEqualTo(255);
		assertThat(opaque.getGreen()).isCloseTo(200, within(10));
		assertThat(pixel(image, 150, 75).getAlpha()).isZero();
	}

	@Test
	@Order(3)
	void servesThumbnailFunctionWithBinaryBodies() {
		HttpResponse<byte[]> response = api.post("thumbnail", TestImages.photoJpeg(1200, 1600), "image/jpeg");

		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		assertThat(contentType(response)).isEqualTo("image/jpeg");
		assertThat(response.headers().firstValue("Image-Width")).hasValue("150");
		assertThat(response.headers().firstValue("Image-Height")).hasValue("200");
		BufferedImage image = decode(response.body());
		assertThat(image.getWidth()).isEqualTo(150);
		assertThat(image.getHeight()).isEqualTo(200);
	}

	@Test
	@Order(4)
	void keepsObjectsInTheConfiguredStorageRootOnly() {
		String key = "placement/where.png";
		assertThat(api.put(key, TestImages.pngWithAlpha(40, 40), "image/png").statusCode()).isEqualTo(201);

		assertThat(storage.resolve("skyfold").resolve(key)).isRegularFile();
		assertThat(storage.resolve("skyfold").resolve("resized").resolve(key)).isRegularFile();
		assertThat(work.resolve("data")).as("the default storage folder in the working directory").doesNotExist();
	}

	@Test
	@Order(100)
	void refusesOversizedDeclaredBodyBeforeReadingIt() throws IOException {
		// A raw exchange: the client says 400 MB are coming, sends 1 MB, and reads the
		// answer.
		String answer = rawExchange("Content-Length: " + (400L * 1024 * 1024), 1024 * 1024, false);

		assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json").contains("max-body-size");
		assertThat(log()).doesNotContain("OutOfMemoryError");
		assertThat(api.health()).isEqualTo("UP");
	}

	@Test
	@Order(101)
	void refusesOversizedChunkedBodyWithoutExhaustingTheHeap() throws IOException {
		// No length announced: the server must stop reading past its limit (64 MB by
		// default).
		String answer = rawExchange("Transfer-Encoding: chunked", 100 * 1024 * 1024, true);

		assertThat(answer).startsWith("HTTP/1.1 413").contains("application/problem+json");
		assertThat(log()).doesNotContain("OutOfMemoryError");
		assertThat(api.health()).isEqualTo("UP");
	}

	/**
	 * Posts zeros labelled as a JPEG to {@code /fn/thumbnail} over a plain socket,
	 * stopping early if the server answers or closes, and returns what the server
	 * answered.
	 */
	private static String rawExchange(String lengthHeader, int bytes, boolean chunked) throws IOException {
		try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
			socket.setSoTimeout(60_000);
			OutputStream out = socket.getOutputStream();
			out.write(("POST /fn/thumbnail HTTP/1.1\r\nHost: 127.0.0.1:" + port
					+ "\r\nContent-Type: image/jpeg\r\nAuthorization: " + api.authorization() + "\r\n" + lengthHeader
					+ "\r\nConnection: close\r\n\r\n")
				.getBytes(StandardCharsets.US_ASCII));
			byte[] block = new byte[64 * 1024];
			InputStream in = socket.getInputStream();
			try {
				for (int sent = 0; sent < bytes && in.available() == 0; sent += block.length) {
					if (chunked) {
						out.write((Integer.toHexString(block.length) + "\r\n").getBytes(StandardCharsets.US_ASCII));
					}
					out.write(block);
					if (chunked) {
						out.write("\r\n".getBytes(StandardCharsets.US_ASCII));
					}
				}
				if (chunked) {
					out.write("0\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				}
				out.flush();
			}
			catch (IOException ex) {
				// The server may close the connection once it has answered; read the
				// answer.
			}
			return readResponse(in);
		}
	}

	/**
	 * Reads one response by its Content-Length: the server may hold the connection open.
	 */
	private static String readResponse(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
			int next = in.read();
			if (next < 0) {
				return head.toString(StandardCharsets.UTF_8);
			}
			head.write(next);
		}
		String headers = head.toString(StandardCharsets.US_ASCII);
		Matcher length = Pattern.compile("(?im)^content-length:\\s*(\\d+)").matcher(headers);
		byte[] body = length.find() ? in.readNBytes(Integer.parseInt(length.group(1))) : new byte[0];
		return headers + new String(body, StandardCharsets.UTF_8);
	}

	private static void awaitHealthy() throws InterruptedException {
		long deadline = System.nanoTime() + STARTUP.toNanos();
		String last = "no answer yet";
		while (System.nanoTime() < deadline) {
			if (!app.isAlive()) {
				fail("The app exited with " + app.exitValue() + " before it was healthy\n" + logTail());
			}
			try {
				LocalApi anonymous = LocalApi.anonymous(port);
				HttpResponse<byte[]> health = anonymous.sendOrFail(anonymous.request("/actuator/health").GET());
				last = health.statusCode() + " " + text(health);
				if (health.statusCode() == 200 && "UP".equals(json(health).path("status").asString())) {
					return;
				}
			}
			catch (IOException ex) {
				last = ex.toString();
			}
			Thread.sleep(250);
		}
		fail("The app was not healthy within " + STARTUP + " (last: " + last + ")\n" + logTail());
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
	}

	private static void withLogTail(ExtensionContext context, Throwable failure) throws Throwable {
		failure.addSuppressed(new AssertionError("Tail of the app's log (" + LOG + "):\n" + logTail()));
		throw failure;
	}

	private static String logTail() {
		String[] lines = log().split("\n");
		return String.join("\n", List.of(lines).subList(Math.max(0, lines.length - 60), lines.length));
	}

	private static String log() {
		try {
			return Files.isRegularFile(LOG) ? new String(Files.readAllBytes(LOG), StandardCharsets.UTF_8)
					: "(no log at " + LOG + ")";
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
