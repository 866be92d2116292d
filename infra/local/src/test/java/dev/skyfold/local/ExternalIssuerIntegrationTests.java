package dev.skyfold.local;

import java.net.URISyntaxException;
import java.net.URL;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.skyfold.testsupport.loopback.KeycloakServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static dev.skyfold.local.LocalApi.assertProblem;
import static dev.skyfold.local.LocalApi.json;
import static dev.skyfold.local.LocalApi.text;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local app trusting an external OpenID Connect provider, a real Keycloak on
 * loopback: its users' tokens carry their roles and names to the app, a token for another
 * audience is refused, and the embedded issuer is off, its tokens refused. Keycloak's
 * realm is {@code src/test/resources/keycloak/skyfold-realm.json}.
 */
class ExternalIssuerIntegrationTests {

	private static final String REALM = "skyfold";

	/** The audience the app asks of tokens, which Keycloak's client adds. */
	private static final String AUDIENCE = "skyfold-local-api";

	/** The client whose tokens are meant for the app. */
	private static final String CLIENT = "skyfold-tests";

	/** A client whose tokens are meant for another API. */
	private static final String OTHER_API_CLIENT = "other-api-tests";

	private static final String ROOM = "keycloak";

	private static final String BROADCAST = "{\"id\":\"m-kc-1\",\"room\":\"" + ROOM
			+ "\",\"author\":\"Ari Admin\",\"text\":\"broadcast\",\"createdAt\":\"2026-03-01T12:00:00Z\"}";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@RegisterExtension
	static final KeycloakServer keycloak = new KeycloakServer(resource("/keycloak/skyfold-realm.json"));

	@TempDir
	static Path work;

	private static final List<ConfigurableApplicationContext> apps = new ArrayList<>();

	/** The port of the app that trusts Keycloak. */
	private static int port;

	@BeforeAll
	static void startTheAppTrustingKeycloak() {
		port = start(startApp(work.resolve("trusting-keycloak"),
				"--spring.security.oauth2.resourceserver.jwt.issuer-uri=" + keycloak.issuerUri(REALM),
				"--spring.security.oauth2.resourceserver.jwt.audiences=" + AUDIENCE));
	}

	@AfterAll
	static void stopTheApps() {
		apps.forEach(ConfigurableApplicationContext::close);
	}

	@Test
	void letsAKeycloakViewerReadTheHistoryButNotWrite() {
		LocalApi viewer = LocalApi.withToken(port, token("kc-viewer"));
		assertThat(viewer.getRaw("/objects").statusCode()).isEqualTo(200);
		HttpResponse<byte[]> history = viewer.postJson("messageHistory", "{\"room\":\"" + ROOM + "\"}");
		assertThat(history.statusCode()).as(text(history)).isEqualTo(200);

		assertRefused(viewer.postJson("postMessage", message("refused: a viewer's post")),
				"Posting a message needs the role 'member'; your highest role is 'viewer'");
		assertRefused(viewer.put("uploads/viewer.png", TestImages.pngWithAlpha(8, 8), "image/png"),
				"Uploading an object needs the role 'member'");
		assertNothingChanged();
	}

	@Test
	void postsAKeycloakMembersMessageUnderTheNameKeycloakGivesThem() {
		String token = token("kc-member");
		JsonNode claims = claims(token);
		assertThat(claims.path("name").asString()).isEqualTo("Kim Member");
		assertThat(claims.path("roles").values()).extracting(JsonNode::asString).contains("member");
		LocalApi member = LocalApi.withToken(port, token);

		HttpResponse<byte[]> posted = member.postJson("postMessage", message("allowed: a member's post"));
		assertThat(posted.statusCode()).as(text(posted)).isEqualTo(200);
		assertThat(json(posted).path("author").asString()).as("Keycloak's name for the user, not the body's author")
			.isEqualTo("Kim Member");
		assertThat(history()).anySatisfy((message) -> {
			assertThat(message.path("author").asString()).isEqualTo("Kim Member");
			assertThat(message.path("text").asString()).isEqualTo("allowed: a member's post");
		});

		assertRefused(member.postJson("broadcastMessage", BROADCAST),
				"Invoking broadcastMessage directly needs the role 'admin'");
		assertNothingChanged();
	}

	@Test
	void letsAKeycloakAdminBroadcastAndReadTheMetrics() {
		LocalApi admin = LocalApi.withToken(port, token("kc-admin"));
		HttpResponse<byte[]> broadcast = admin.postJson("broadcastMessage", BROADCAST);
		assertThat(broadcast.statusCode()).as(text(broadcast)).isEqualTo(200);
		assertThat(admin.getRaw("/actuator/metrics").statusCode()).isEqualTo(200);
		JsonNode me = json(admin.getRaw("/me"));
		assertThat(me.path("name").asString()).isEqualTo("Ari Admin");
		assertThat(me.path("role").asString()).isEqualTo("admin");
	}

	@Test
	void refusesAKeycloakUserWithoutARole() {
		LocalApi nobody = LocalApi.withToken(port, token("kc-nobody"));
		assertRefused(nobody.postJson("messageHistory", "{\"room\":\"" + ROOM + "\"}"),
				"needs the role 'viewer'; you have no role");
		assertRefused(nobody.getRaw("/objects"), "needs the role 'viewer'");
		assertRefused(nobody.postJson("postMessage", message("refused: a post of a user without a role")),
				"needs the role 'member'");
		assertNothingChanged();
	}

	@Test
	void refusesAKeycloakTokenForAnotherAudience() {
		String token = keycloak.passwordGrant(REALM, OTHER_API_CLIENT, null, "kc-admin", "kc-admin-password");
		JsonNode claims = claims(token);
		assertThat(claims.path("iss").asString()).as("issued by the trusted issuer")
			.isEqualTo(keycloak.issuerUri(REALM));
		assertThat(claims.path("roles").values()).extracting(JsonNode::asString).contains("admin");
		assertThat(audience(claims)).contains("other-api").doesNotContain(AUDIENCE);

		HttpResponse<byte[]> response = LocalApi.withToken(port, token)
			.postJson("postMessage", message("refused: a post with a token for another API"));
		assertInvalidToken(response);
		assertInvalidToken(LocalApi.withToken(port, token).getRaw("/actuator/metrics"));
		assertNothingChanged();
	}

	@Test
	void refusesATokenOfTheEmbeddedIssuer() {
		int embeddedPort = start(startApp(work.resolve("embedded-issuer")));
		String token = LocalApi.anonymous(embeddedPort).tokenFor("test-admin", "admin-secret");
		assertThat(LocalApi.withToken(embeddedPort, token).getRaw("/actuator/metrics").statusCode())
			.as("the embedded issuer's own app takes its token")
			.isEqualTo(200);

		LocalApi embeddedAdmin = LocalApi.withToken(port, token);
		assertInvalidToken(embeddedAdmin.postJson("postMessage", message("refused: a post with an embedded token")));
		assertInvalidToken(embeddedAdmin.postJson("broadcastMessage", BROADCAST));
		assertInvalidToken(embeddedAdmin.postJson("messageHistory", "{\"room\":\"" + ROOM + "\"}"));
		assertInvalidToken(embeddedAdmin.getRaw("/actuator/metrics"));
		assertNothingChanged();
	}

	@Test
	void issuesNoTokensItselfWhenAnotherIssuerIsConfigured() {
		LocalApi anonymous = LocalApi.anonymous(port);
		HttpResponse<byte[]> response = anonymous.send(anonymous.request("/oauth2/token")
			.header("Authorization",
					"Basic " + Base64.getEncoder()
						.encodeToString("test-admin:admin-secret".getBytes(StandardCharsets.UTF_8)))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")));
		assertThat(response.statusCode()).as(text(response)).isIn(401, 404);
		assertThat(text(response)).doesNotContain("access_token");
		assertThat(anonymous.getRaw("/.well-known/openid-configuration").statusCode()).isIn(401, 404);
		assertThat(anonymous.getRaw("/oauth2/jwks").statusCode()).isIn(401, 404);
	}

	private static ConfigurableApplicationContext startApp(Path data, String... arguments) {
		List<String> all = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				"--server.shutdown=immediate", "--skyfold.local.data=" + data));
		all.addAll(List.of(arguments));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SkyfoldLocalApplication.class)
			.run(all.toArray(String[]::new));
		apps.add(context);
		return context;
	}

	private static int start(ConfigurableApplicationContext context) {
		Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
		assertThat(port).as("local.server.port").isNotNull().isPositive();
		return port;
	}

	/** An access token of a Keycloak user (whose password is its name and -password). */
	private static String token(String user) {
		return keycloak.passwordGrant(REALM, CLIENT, null, user, user + "-password");
	}

	private static JsonNode claims(String token) {
		String[] parts = token.split("\\.");
		assertThat(parts).as("a JWT").hasSize(3);
		return JSON.readTree(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
	}

	private static List<String> audience(JsonNode claims) {
		JsonNode aud = claims.path("aud");
		return aud.isArray() ? aud.values().stream().map(JsonNode::asString).toList() : List.of(aud.asString(""));
	}

	private static String message(String text) {
		return "{\"room\":\"" + ROOM + "\",\"author\":\"mallory\",\"text\":\"" + text + "\"}";
	}

	private static void assertRefused(HttpResponse<byte[]> response, String reason) {
		JsonNode problem = assertProblem(response, 403);
		assertThat(problem.path("title").asString()).isEqualTo("Forbidden");
		assertThat(problem.path("detail").asString()).contains(reason);
	}

	private static void assertInvalidToken(HttpResponse<byte[]> response) {
		JsonNode problem = assertProblem(response, 401);
		assertThat(problem.path("detail").asString()).startsWith("The bearer token is not valid");
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((challenge) -> assertThat(challenge).startsWith("Bearer").contains("invalid_token"));
	}

	/** The room holds the members' allowed posts only; the bucket holds no upload. */
	private static void assertNothingChanged() {
		assertThat(history()).allSatisfy((message) -> {
			assertThat(message.path("author").asString()).isEqualTo("Kim Member");
			assertThat(message.path("text").asString()).startsWith("allowed: ");
		});
		assertThat(LocalApi.withToken(port, token("kc-admin")).keysUnder("uploads/")).isEmpty();
	}

	private static List<JsonNode> history() {
		HttpResponse<byte[]> response = LocalApi.withToken(port, token("kc-viewer"))
			.postJson("messageHistory", "{\"room\":\"" + ROOM + "\"}");
		assertThat(response.statusCode()).as(text(response)).isEqualTo(200);
		return json(response).path("messages").values().stream().toList();
	}

	private static Path resource(String name) {
		URL url = ExternalIssuerIntegrationTests.class.getResource(name);
		assertThat(url).as(name).isNotNull();
		try {
			return Path.of(url.toURI());
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
