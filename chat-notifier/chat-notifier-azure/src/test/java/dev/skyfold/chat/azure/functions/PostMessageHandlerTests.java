package dev.skyfold.chat.azure.functions;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.kernel.access.RoleClaims;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostMessageHandler} maps Azure's HTTP requests to the core's {@code postMessage}
 * and its results and rejections to HTTP responses.
 */
class PostMessageHandlerTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:34:56.123456Z");

	private static final JsonMapper json = JsonMapper.builder().build();

	private final List<PostMessage> posted = new ArrayList<>();

	/** Checks the message as the core does, and stores nothing. */
	private final PostMessageHandler handler = new PostMessageHandler((post) -> {
		this.posted.add(post);
		NewMessage message = NewMessage.from(post);
		return new ChatMessage("m-1", message.room(), message.author(), message.text(), NOW);
	}, new RoleClaims(RoleClaims.DEFAULT_CLAIM));

	@Test
	void answersCreatedWithTheStoredMessageAsJson() {
		TestHttpRequest.Response response = post(TestHttpRequest.sample("post-message.json"));

		assertThat(response.getStatusCode()).isEqualTo(201);
		assertThat(response.headers()).containsExactly(java.util.Map.entry("Content-Type", "application/json"));
		JsonNode message = response.json();
		assertThat(message.propertyNames()).containsExactly("id", "room", "author", "text", "createdAt");
		assertThat(message.path("id").asString()).isEqualTo("m-1");
		assertThat(message.path("room").asString()).isEqualTo("general");
		assertThat(message.path("author").asString()).isEqualTo("Ada Lovelace");
		assertThat(message.path("text").asString()).isEqualTo("Hello from Azure Functions! \uD83D\uDE80\nSecond line.");
		assertThat(message.path("createdAt").asString()).isEqualTo("2026-03-01T12:34:56.123456Z");
		assertThat(this.posted).containsExactly(new PostMessage("general", "Ada Lovelace",
				"Hello from Azure Functions! \uD83D\uDE80\nSecond line.", "c-azure-1"));
	}

	@Test
	void answersMalformedJsonWithABadRequestProblem() {
		TestHttpRequest.Response response = post(TestHttpRequest.sample("post-message-malformed.json"));

		assertProblem(response, 400, "Malformed JSON");
		assertThat(this.posted).isEmpty();
	}

	@Test
	void answersAMissingBodyWithABadRequestProblem() {
		assertProblem(post(TestHttpRequest.sample("post-message.json").withBody(null)), 400, "no body");
		assertProblem(post(TestHttpRequest.sample("post-message.json").withBody("  ")), 400, "no body");
		assertProblem(post(TestHttpRequest.sample("post-message.json").withBody("null")), 400, "not null");
		assertThat(this.posted).isEmpty();
	}

	@Test
	void answersAnInvalidMessageWithABadRequestProblem() {
		TestHttpRequest.Response response = post(TestHttpRequest.sample("post-message.json")
			.withBody("{\"room\":\"General Room!\",\"author\":\"Ada\",\"text\":\"Hi\"}"));

		assertProblem(response, 400, "room");
	}

	@Test
	void answersOverLongTextWithAPayloadTooLargeProblem() {
		TestHttpRequest.Response response = post(TestHttpRequest.sample("post-message.json")
			.withBody("{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"" + "a".repeat(4001) + "\"}"));

		assertProblem(response, 413, "4001");
	}

	@Test
	void answersABodyThatIsNotJsonWithAnUnsupportedMediaTypeProblem() {
		TestHttpRequest.Response response = post(TestHttpRequest.sample("post-message-text-plain.json"));

		assertProblem(response, 415, "text/plain");
		assertThat(this.posted).isEmpty();
	}

	@Test
	void refusesACallerWithoutAClientPrincipalWithA401AndPostsNothing() {
		TestHttpRequest.Response response = post(asMallory().withoutHeader("x-ms-client-principal"));

		assertProblem(response, 401, "App Service Authentication");
		assertThat(this.posted).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "viewer", "chat.writer" })
	void refusesACallerWhoseRoleIsTooLowWithA403AndPostsNothing(String role) {
		TestHttpRequest.Response response = post(
				asMallory().withHeader("X-MS-CLIENT-PRINCIPAL", principal("name", "Vic", "roles", role)));

		assertProblem(response, 403, "Posting a message needs the role 'member'");
		assertThat(this.posted).isEmpty();
	}

	@Test
	void readsEveryRoleClaimOfTheRoleTypeThePrincipalNames() {
		String roleType = "http://schemas.microsoft.com/ws/2008/06/identity/claims/role";
		ObjectNode principal = json.createObjectNode().put("auth_typ", "aad");
		ArrayNode claims = principal.putArray("claims");
		claims.addObject().put("typ", "name").put("val", "Ada");
		claims.addObject().put("typ", roleType).put("val", "viewer");
		claims.addObject().put("typ", roleType).put("val", "admin");
		principal.put("role_typ", roleType);

		assertThat(postedAuthor(base64(json.writeValueAsString(principal)))).isEqualTo("Ada");
	}

	@Test
	void takesTheAuthorFromTheClientPrincipalRatherThanTheBody() {
		TestHttpRequest.Response response = post(
				asMallory().withHeader("X-MS-CLIENT-PRINCIPAL", principal("name", "Ada Lovelace", "sub", "s-1")));

		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(201);
		assertThat(response.json().path("author").asString()).isEqualTo("Ada Lovelace");
		assertThat(this.posted).containsExactly(new PostMessage("general", "Ada Lovelace", "Hi", "c-1"));
	}

	@Test
	void takesTheAuthorFromASignedInCallersClaims() {
		TestHttpRequest.Response response = post(TestHttpRequest.sample("post-message-signed-in.json"));

		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(201);
		assertThat(response.json().path("author").asString()).isEqualTo("Grace Hopper");
		assertThat(this.posted).containsExactly(new PostMessage("general", "Grace Hopper",
				"Signed in through App Service Authentication", "c-azure-2"));
	}

	@Test
	void namesTheAuthorByTheSharedPreferenceOfClaims() {
		assertThat(postedAuthor(principal("sub", "s-1", "preferred_username", "ada", "name", "Ada Lovelace")))
			.isEqualTo("Ada Lovelace");
		assertThat(postedAuthor(principal("sub", "s-1", "cognito:username", "ada-c", "preferred_username", "ada")))
			.isEqualTo("ada");
		assertThat(postedAuthor(principal("sub", "s-1", "email", "ada@example.com"))).isEqualTo("s-1");
		assertThat(postedAuthor(principal("name", " ", "sub", "s-1"))).isEqualTo("s-1");
	}

	@Test
	void readsTheClaimsEasyAuthRenames() {
		String nameIdentifier = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier";
		String name = "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name";
		assertThat(postedAuthor(principal(nameIdentifier, "s-1", "email", "ada@example.com"))).isEqualTo("s-1");
		assertThat(postedAuthor(principal(nameIdentifier, "s-1", name, "ada@contoso.com")))
			.isEqualTo("ada@contoso.com");
		assertThat(postedAuthor(principal(name, "ada@contoso.com", "name", "Ada Lovelace"))).isEqualTo("Ada Lovelace");
		assertThat(postedAuthor(principal(name, "ada@contoso.com", "preferred_username", "ada"))).isEqualTo("ada");
	}

	@Test
	void keepsTheBodysAuthorWithoutAnAuthorClaim() {
		assertThat(postedAuthor(principal("email", "ada@example.com", "roles", "member"))).isEqualTo("mallory");
		assertThat(postedAuthor(base64(
				"{\"auth_typ\":\"oidc\",\"claims\":[{\"typ\":\"name\",\"val\":42},{\"typ\":\"roles\",\"val\":\"member\"}]}")))
			.isEqualTo("mallory");
	}

	@Test
	void readsTheClientPrincipalWhateverTheCaseOfTheHeadersName() {
		assertThat(post(asMallory().withHeader("x-ms-client-principal", principal("name", "Ada"))).json()
			.path("author")
			.asString()).isEqualTo("Ada");
	}

	@ParameterizedTest
	@ValueSource(strings = { "not base64!", "%%%%", "eyJ=e30=" })
	void answersAClientPrincipalThatIsNotBase64WithABadRequestProblem(String header) {
		TestHttpRequest.Response response = post(asMallory().withHeader("X-MS-CLIENT-PRINCIPAL", header));

		assertProblem(response, 400, "X-MS-CLIENT-PRINCIPAL");
		assertThat(this.posted).isEmpty();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Ada", "{\"claims\":[", "[]", "null", "{}", "{\"claims\":{\"name\":\"Ada\"}}",
			"{\"claims\":[\"name\"]}", "{\"claims\":[{\"val\":\"Ada\"}]}", "{\"claims\":[{\"typ\":1,\"val\":\"Ada\"}]}",
			"{\"claims\":[]} {}" })
	void answersAClientPrincipalThatIsNotTheClaimsJsonWithABadRequestProblem(String json) {
		TestHttpRequest.Response response = post(asMallory().withHeader("X-MS-CLIENT-PRINCIPAL", base64(json)));

		assertProblem(response, 400, "X-MS-CLIENT-PRINCIPAL");
		assertThat(response.json().path("title").asString()).isEqualTo("Invalid input");
		assertThat(this.posted).isEmpty();
	}

	@Test
	void answersAFailureWithAnInternalErrorProblemWithoutItsDetails() {
		PostMessageHandler failing = new PostMessageHandler((post) -> {
			throw new IllegalStateException("table unreachable: secret-connection-string");
		}, new RoleClaims(RoleClaims.DEFAULT_CLAIM));

		TestHttpRequest.Response response = (TestHttpRequest.Response) failing
			.run(TestHttpRequest.sample("post-message.json"), new TestExecutionContext("postMessage"));

		assertProblem(response, 500, "log");
		assertThat(response.getBody().toString()).doesNotContain("secret");
	}

	private String postedAuthor(String principal) {
		TestHttpRequest.Response response = post(asMallory().withHeader("X-MS-CLIENT-PRINCIPAL", principal));
		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(201);
		return this.posted.remove(0).author();
	}

	/** A post whose body names someone else than the caller. */
	private static TestHttpRequest asMallory() {
		return TestHttpRequest.sample("post-message.json")
			.withBody("{\"room\":\"general\",\"author\":\"mallory\",\"text\":\"Hi\",\"clientMessageId\":\"c-1\"}");
	}

	/**
	 * An {@code X-MS-CLIENT-PRINCIPAL} header as Easy Auth sends it, of a member unless
	 * the claims name a role.
	 * @param typesAndValues each claim's type, then its value
	 * @return the header's value
	 */
	private static String principal(String... typesAndValues) {
		ObjectNode principal = json.createObjectNode();
		principal.put("auth_typ", "oidc");
		ArrayNode claims = principal.putArray("claims");
		boolean roleGiven = false;
		for (int i = 0; i < typesAndValues.length; i += 2) {
			claims.addObject().put("typ", typesAndValues[i]).put("val", typesAndValues[i + 1]);
			roleGiven |= typesAndValues[i].equals("roles") || typesAndValues[i].endsWith("/role");
		}
		if (!roleGiven) {
			claims.addObject().put("typ", "roles").put("val", "member");
		}
		principal.put("name_typ", "name");
		principal.put("role_typ", "roles");
		return base64(json.writeValueAsString(principal));
	}

	private static String base64(String json) {
		return Base64.getEncoder().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	private TestHttpRequest.Response post(TestHttpRequest request) {
		return (TestHttpRequest.Response) this.handler.run(request, new TestExecutionContext("postMessage"));
	}

	static void assertProblem(TestHttpRequest.Response response, int status, String detail) {
		assertThat(response.getStatusCode()).as(String.valueOf(response.getBody())).isEqualTo(status);
		assertThat(response.getHeader("Content-Type")).isEqualTo("application/problem+json");
		JsonNode problem = response.json();
		assertThat(problem.propertyNames()).containsExactly("type", "title", "status", "detail");
		assertThat(problem.path("type").asString()).isEqualTo("about:blank");
		assertThat(problem.path("title").asString()).isNotBlank();
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("detail").asString()).contains(detail);
	}

}
