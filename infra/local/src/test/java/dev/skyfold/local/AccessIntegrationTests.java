package dev.skyfold.local;

import java.io.IOException;
import java.io.InputStream;
import java.net.CookieManager;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.util.FileSystemUtils;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.json;
import static dev.skyfold.local.LocalApi.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The one access rule on the local app, over real connections with real tokens of the
 * embedded issuer: who may call each endpoint, and that a refusal is a problem and
 * changes nothing. Hostile tokens are signed with the issuer's own key where the attack
 * needs it.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = "server.address=127.0.0.1")
class AccessIntegrationTests {

	private static final Path WORK = createWorkFolder();

	private static final String MESSAGE = "{\"room\":\"access\",\"author\":\"mallory\",\"text\":\"hello\"}";

	private static final String STORED = "{\"id\":\"m-1\",\"room\":\"access\",\"author\":\"admin\",\"text\":\"forged\","
			+ "\"createdAt\":\"2026-03-01T12:00:00Z\"}";

	@LocalServerPort
	private int port;

	@DynamicPropertySource
	static void storage(DynamicPropertyRegistry registry) {
		registry.add("skyfold.local.data", () -> WORK.toString());
	}

	@AfterAll
	static void deleteWork() {
		FileSystemUtils.deleteRecursively(WORK.toFile());
	}

	@Test
	void refusesEveryApiPathWithoutATokenAndLeavesHealthOpen() {
		LocalApi anonymous = LocalApi.anonymous(this.port);
		assertThat(anonymous.health()).isEqualTo("UP");
		assertThat(json(anonymous.getRaw("/actuator/health")).has("components")).as("details for admins only")
			.isFalse();
		assertThat(json(new LocalApi(this.port).getRaw("/actuator/health")).path("components").has("diskSpace"))
			.isTrue();
		for (HttpResponse<byte[]> response : List.of(anonymous.getRaw("/objects"), anonymous.get("uploads/a.png"),
				anonymous.put("uploads/a.png", TestImages.pngWithAlpha(8, 8), "image/png"),
				anonymous.postJson("postMessage", MESSAGE),
				anonymous.postJson("messageHistory", "{\"room\":\"access\"}"),
				anonymous.postJson("broadcastMessage", STORED), anonymous.getRaw("/fn/messageHistory"),
				anonymous.getRaw("/rooms/access/stream"), anonymous.getRaw("/actuator/metrics"),
				anonymous.getRaw("/actuator/prometheus"), anonymous.getRaw("/me"))) {
			JsonNode problem = assertProblem(response, 401);
			assertThat(problem.path("title").asString()).isEqualTo("Unauthorized");
			assertThat(response.headers().firstValue("WWW-Authenticate"))
				.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer"));
		}
		assertNothingChanged();
	}

	@Test
	void letsAViewerReadButNotWrite() throws IOException {
		LocalApi viewer = LocalApi.as(this.port, "test-viewer");
		assertThat(viewer.getRaw("/objects").statusCode()).isEqualTo(200);
		assertThat(viewer.postJson("messageHistory", "{\"room\":\"access\"}").statusCode()).isEqualTo(200);
		assertThat(openStream("test-viewer")).isEqualTo(200);
		assertRefused(viewer.put("uploads/viewer.png", TestImages.pngWithAlpha(8, 8), "image/png"),
				"Uploading an object needs the role 'member'; your highest role is 'viewer'");
		assertRefused(viewer.postJson("postMessage", MESSAGE), "Posting a message needs the role 'member'");
		assertRefused(viewer.post("thumbnail", TestImages.pngWithAlpha(8, 8), "image/png"),
				"Making a thumbnail needs the role 'member'");
		assertRefused(viewer.getRaw("/fn/postMessage/hello"), "Posting a message needs the role 'member'");
		assertNothingChanged();
	}

	@Test
	void letsAMemberWriteUnderTheirOwnNameButNotAdminister() {
		LocalApi member = LocalApi.as(this.port, "test-member");
		HttpResponse<byte[]> posted = member.postJson("postMessage", MESSAGE);
		assertThat(posted.statusCode()).as(text(posted)).isEqualTo(200);
		assertThat(json(posted).path("author").asString()).as("the signed-in caller, not the body's author")
			.isEqualTo("test-member");
		assertThat(member.post("thumbnail", TestImages.pngWithAlpha(64, 48), "image/png").statusCode()).isEqualTo(200);
		HttpResponse<byte[]> uploaded = member.put("member/photo.png", TestImages.pngWithAlpha(64, 48), "image/png");
		assertThat(uploaded.statusCode()).as(text(uploaded)).isEqualTo(201);

		assertRefused(member.postJson("broadcastMessage", STORED),
				"Invoking broadcastMessage directly needs the role 'admin'");
		assertRefused(member.postJson("resizeImage", "{\"bucket\":\"skyfold\",\"key\":\"member/photo.png\"}"),
				"Invoking resizeImage directly needs the role 'admin'");
		assertRefused(member.postJson("postMessage%7CbroadcastMessage", MESSAGE), "needs the role 'admin'");
		assertRefused(member.send(member.request(LocalApi.objectPath("member/photo.png")).DELETE()),
				"Deleting an object needs the role 'admin'");
		assertProblem(member.getRaw("/actuator/metrics"), 403);
		assertProblem(member.getRaw("/actuator/prometheus"), 403);
		assertThat(member.get("member/photo.png").statusCode()).isEqualTo(200);
		assertThat(history()).extracting((message) -> message.path("author").asString()).containsOnly("test-member");
	}

	@Test
	void letsAnAdminDoEverything() {
		LocalApi admin = new LocalApi(this.port);
		assertThat(admin.postJson("broadcastMessage", STORED).statusCode()).isEqualTo(200);
		assertThat(admin.put("admin/photo.png", TestImages.pngWithAlpha(64, 48), "image/png").statusCode())
			.isEqualTo(201);
		assertThat(admin.postJson("resizeImage", "{\"bucket\":\"skyfold\",\"key\":\"admin/photo.png\"}").statusCode())
			.isEqualTo(200);
		assertThat(admin.send(admin.request(LocalApi.objectPath("admin/photo.png")).DELETE()).statusCode())
			.isEqualTo(204);
		assertThat(admin.get("admin/photo.png").statusCode()).isEqualTo(404);
		assertThat(admin.getRaw("/actuator/metrics").statusCode()).isEqualTo(200);
		assertThat(admin.getRaw("/actuator/prometheus").statusCode()).isEqualTo(200);
		JsonNode me = json(admin.getRaw("/me"));
		assertThat(me.path("name").asString()).isEqualTo("test-admin");
		assertThat(me.path("role").asString()).isEqualTo("admin");
	}

	@Test
	void acceptsAWellFormedTokenSignedWithTheIssuersKey() throws Exception {
		HttpResponse<byte[]> posted = LocalApi.withToken(this.port, sign(signingKey(), (claims) -> {
		})).postJson("postMessage", "{\"room\":\"signed\",\"author\":\"x\",\"text\":\"hi\"}");
		assertThat(posted.statusCode()).as(text(posted)).isEqualTo(200);
		assertThat(json(posted).path("author").asString()).isEqualTo("Grace Hopper");
	}

	@ParameterizedTest
	@ValueSource(strings = { "expired", "not yet valid", "other issuer", "other audience", "tampered payload",
			"other key", "alg none", "roles of the wrong type", "no one named", "not a token" })
	void refusesAHostileTokenAndChangesNothing(String attack) throws Exception {
		RSAKey key = signingKey();
		String token = switch (attack) {
			case "expired" -> sign(key,
					(claims) -> claims.issueTime(ago(Duration.ofHours(2))).expirationTime(ago(Duration.ofHours(1))));
			case "not yet valid" ->
				sign(key, (claims) -> claims.notBeforeTime(Date.from(Instant.now().plusSeconds(3600))));
			case "other issuer" -> sign(key, (claims) -> claims.issuer("http://127.0.0.1:1"));
			case "other audience" -> sign(key, (claims) -> claims.audience("another-api"));
			case "tampered payload" -> tampered(sign(key, (claims) -> claims.claim("roles", List.of("viewer"))));
			case "other key" -> sign(new RSAKeyGenerator(2048).keyID(key.getKeyID()).generate(), (claims) -> {
			});
			case "alg none" -> unsigned();
			case "roles of the wrong type" -> sign(key, (claims) -> claims.claim("roles", Map.of("admin", true)));
			case "no one named" -> sign(key, (claims) -> claims.subject(null).claim("name", null));
			default -> "not-a-token";
		};
		HttpResponse<byte[]> response = LocalApi.withToken(this.port, token).postJson("postMessage", MESSAGE);
		JsonNode problem = assertProblem(response, 401);
		assertThat(problem.path("detail").asString()).startsWith("The bearer token is not valid");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).contains("invalid_token"));
		assertNothingChanged();
	}

	@Test
	void refusesAHugeTokenAndChangesNothing() throws Exception {
		String token = sign(signingKey(), (claims) -> claims.claim("padding", "x".repeat(64 * 1024)));
		HttpResponse<byte[]> response = LocalApi.withToken(this.port, token).postJson("postMessage", MESSAGE);
		assertThat(response.statusCode()).isBetween(400, 431).isNotEqualTo(200);
		assertNothingChanged();
	}

	@Test
	void refusesATokenForAClientWithAWrongSecret() {
		HttpResponse<byte[]> response = LocalApi.anonymous(this.port)
			.send(LocalApi.anonymous(this.port)
				.request("/oauth2/token")
				.header("Authorization",
						"Basic " + Base64.getEncoder()
							.encodeToString("test-admin:guess".getBytes(StandardCharsets.UTF_8)))
				.header("Content-Type", "application/x-www-form-urlencoded")
				.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(json(response).path("error").asString()).isEqualTo("invalid_client");
	}

	@Test
	void publishesTheIssuersDiscoveryDocumentAndKeys() {
		LocalApi anonymous = LocalApi.anonymous(this.port);
		JsonNode discovery = json(anonymous.getRaw("/.well-known/openid-configuration"));
		assertThat(discovery.path("issuer").asString()).isEqualTo("http://127.0.0.1:" + this.port);
		assertThat(discovery.path("token_endpoint").asString()).endsWith("/oauth2/token");
		JsonNode keys = json(anonymous.getRaw("/oauth2/jwks"));
		assertThat(keys.path("keys").get(0).has("d")).as("no private part").isFalse();
	}

	@Test
	void refusesASessionsWriteWithoutItsCsrfTokenAndTakesItWithIt() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		signIn(browser, "ada");
		HttpRequest.Builder post = HttpRequest.newBuilder(URI.create(base() + "/fn/postMessage"))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"pages\",\"text\":\"from a page\"}"));

		HttpResponse<byte[]> forged = browser.send(post.build(), BodyHandlers.ofByteArray());
		assertThat(assertProblem(forged, 403).path("detail").asString()).contains("CSRF");
		assertThat(json(new LocalApi(this.port).postJson("messageHistory", "{\"room\":\"pages\"}")).path("messages"))
			.isEmpty();

		String csrf = ((CookieManager) browser.cookieHandler().orElseThrow()).getCookieStore()
			.getCookies()
			.stream()
			.filter((cookie) -> cookie.getName().equals("XSRF-TOKEN"))
			.findFirst()
			.orElseThrow()
			.getValue();
		HttpResponse<byte[]> fromThePage = browser.send(post.header("X-XSRF-TOKEN", csrf).build(),
				BodyHandlers.ofByteArray());
		assertThat(fromThePage.statusCode()).as(text(fromThePage)).isEqualTo(200);
		assertThat(json(fromThePage).path("author").asString()).isEqualTo("ada");
	}

	@Test
	void servesThePagesWithAPolicyThatRunsNoInlineScriptAndAllowsNoFraming() throws Exception {
		HttpClient browser = HttpClient.newBuilder().cookieHandler(new CookieManager()).build();
		signIn(browser, "vic");
		for (String page : List.of("/", "/chat", "/login")) {
			HttpResponse<String> response = browser.send(
					HttpRequest.newBuilder(URI.create(base() + page)).header("Accept", "text/html").build(),
					BodyHandlers.ofString());
			assertThat(response.statusCode()).as(page).isEqualTo(200);
			assertThat(response.headers().firstValue("Content-Security-Policy")).as(page)
				.hasValueSatisfying((policy) -> assertThat(policy.split(";\\s*")).contains("script-src 'self'",
						"frame-ancestors 'none'", "object-src 'none'"));
			assertThat(response.headers().firstValue("X-Content-Type-Options")).hasValue("nosniff");
			assertThat(response.body()).as(page).doesNotContainPattern("<script(?![^>]*\\bsrc=)[^>]*>");
		}
	}

	@Test
	void answersNoOtherSitesPreflight() throws Exception {
		HttpResponse<String> preflight = HttpClient.newHttpClient()
			.send(HttpRequest.newBuilder(URI.create(base() + "/fn/postMessage"))
				.method("OPTIONS", HttpRequest.BodyPublishers.noBody())
				.header("Origin", "http://attacker.invalid")
				.header("Access-Control-Request-Method", "POST")
				.header("Access-Control-Request-Headers", "authorization, content-type")
				.build(), BodyHandlers.ofString());

		assertThat(preflight.headers().firstValue("Access-Control-Allow-Origin")).isEmpty();
	}

	/** Signs a person in with the pages' form, as a browser does. */
	private void signIn(HttpClient browser, String user) throws Exception {
		String form = browser
			.send(HttpRequest.newBuilder(URI.create(base() + "/login")).build(), BodyHandlers.ofString())
			.body();
		Matcher csrf = Pattern.compile("name=\"_csrf\"[^>]*value=\"([^\"]+)\"").matcher(form);
		assertThat(csrf.find()).as("the sign-in form's CSRF token").isTrue();
		HttpResponse<String> signedIn = browser.send(HttpRequest.newBuilder(URI.create(base() + "/login"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers
				.ofString("username=" + user + "&password=" + user + "-password&_csrf=" + csrf.group(1)))
			.build(), BodyHandlers.ofString());
		assertThat(signedIn.headers().firstValue("Location"))
			.hasValueSatisfying((location) -> assertThat(location).doesNotContain("error"));
	}

	private String base() {
		return "http://127.0.0.1:" + this.port;
	}

	private void assertRefused(HttpResponse<byte[]> response, String reason) {
		JsonNode problem = assertProblem(response, 403);
		assertThat(problem.path("title").asString()).isEqualTo("Forbidden");
		assertThat(problem.path("detail").asString()).contains(reason);
	}

	/** Nothing posted but the members' own messages, nothing uploaded but theirs. */
	private void assertNothingChanged() {
		assertThat(history())
			.allSatisfy((message) -> assertThat(message.path("author").asString()).isIn("test-member", "Grace Hopper"));
		assertThat(new LocalApi(this.port).keysUnder("uploads/")).isEmpty();
		assertThat(WORK.resolve("skyfold/uploads")).doesNotExist();
	}

	private List<JsonNode> history() {
		HttpResponse<byte[]> response = new LocalApi(this.port).postJson("messageHistory", "{\"room\":\"access\"}");
		return json(response).path("messages").values().stream().toList();
	}

	private int openStream(String client) throws IOException {
		LocalApi api = LocalApi.as(this.port, client);
		HttpRequest request = HttpRequest
			.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/rooms/access/stream"))
			.header("Authorization", "Bearer " + api.tokenFor(client, client.substring("test-".length()) + "-secret"))
			.timeout(Duration.ofSeconds(10))
			.build();
		try {
			HttpResponse<InputStream> response = HttpClient.newHttpClient().send(request, BodyHandlers.ofInputStream());
			response.body().close();
			return response.statusCode();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private RSAKey signingKey() throws Exception {
		return RSAKey.parse(Files.readString(WORK.resolve(".security/issuer-key.json")));
	}

	/** A token as the embedded issuer makes them, changed by the attack. */
	private String sign(RSAKey key, Consumer<JWTClaimsSet.Builder> attack) throws Exception {
		JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().issuer("http://127.0.0.1:" + this.port)
			.subject("grace")
			.claim("name", "Grace Hopper")
			.audience("skyfold-local")
			.issueTime(new Date())
			.expirationTime(Date.from(Instant.now().plusSeconds(300)))
			.claim("roles", List.of("member"));
		attack.accept(claims);
		SignedJWT token = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).type(JOSEObjectType.JWT).build(),
				claims.build());
		token.sign(new RSASSASigner(key));
		return token.serialize();
	}

	/** A valid token whose payload then grants itself the admin role. */
	private static String tampered(String token) {
		String[] parts = token.split("\\.");
		String payload = new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8)
			.replace("\"viewer\"", "\"admin\"");
		return parts[0] + "."
				+ Base64.getUrlEncoder().withoutPadding().encodeToString(payload.getBytes(StandardCharsets.UTF_8)) + "."
				+ parts[2];
	}

	private String unsigned() {
		Base64.Encoder base64 = Base64.getUrlEncoder().withoutPadding();
		String header = base64.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
		String payload = base64.encodeToString(("{\"iss\":\"http://127.0.0.1:" + this.port
				+ "\",\"sub\":\"mallory\",\"aud\":\"skyfold-local\",\"roles\":[\"admin\"],\"exp\":"
				+ Instant.now().plusSeconds(300).getEpochSecond() + "}")
			.getBytes(StandardCharsets.UTF_8));
		return header + "." + payload + ".";
	}

	private static Date ago(Duration duration) {
		return Date.from(Instant.now().minus(duration));
	}

	private static Path createWorkFolder() {
		try {
			return Files.createTempDirectory("skyfold-access-it-");
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
