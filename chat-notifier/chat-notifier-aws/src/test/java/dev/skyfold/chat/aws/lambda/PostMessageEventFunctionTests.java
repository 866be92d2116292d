package dev.skyfold.chat.aws.lambda;

import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.skyfold.chat.adapter.inmemory.InMemoryMessageStore;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.application.RecordingBroadcaster;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.kernel.access.RoleClaims;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code postMessage} behind API Gateway: the request body (plain or base64) becomes a
 * posted message, the caller's JWT names the author, and every answer is JSON: the stored
 * message, or a problem.
 */
class PostMessageEventFunctionTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final InMemoryMessageStore store = new InMemoryMessageStore();

	private final RecordingBroadcaster broadcaster = new RecordingBroadcaster("recording");

	private final PostMessageEventFunction function = function(this.store);

	private PostMessageEventFunction function(MessageStore store) {
		return new PostMessageEventFunction(
				new ChatService(store, new BroadcastService(List.of(this.broadcaster),
						BroadcastService.Backoff.defaults(), new SimpleMeterRegistry()), 50)::post,
				new RoleClaims(RoleClaims.DEFAULT_CLAIM));
	}

	@Test
	void storesThePostedMessageAndAnswers201WithItAsJson() {
		APIGatewayV2HTTPResponse response = this.function
			.apply(Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class));

		assertThat(response.getStatusCode()).isEqualTo(201);
		assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
		assertThat(response.getIsBase64Encoded()).isFalse();
		List<ChatMessage> stored = this.store.latest("general", null, 10);
		assertThat(stored).singleElement().satisfies((message) -> {
			assertThat(message.text()).isEqualTo("Hello from API Gateway! \uD83D\uDE80\nSecond line.");
			assertThat(message.author()).isEqualTo("Ada Lovelace");
		});
		ChatMessage message = stored.get(0);
		assertThat(json.readTree(response.getBody())).isEqualTo(json.readTree("{\"id\":\"" + message.id()
				+ "\",\"room\":\"general\",\"author\":\"Ada Lovelace\",\"text\":\"Hello from API Gateway! \uD83D\uDE80\\nSecond line.\",\"createdAt\":\""
				+ message.createdAt() + "\"}"));
		assertThat(this.broadcaster.delivered()).containsExactly(message);
	}

	@Test
	void writesTheStoredMessagesFieldsInOrderWithAnIsoCreatedAt() {
		APIGatewayV2HTTPResponse response = this.function
			.apply(Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class));

		assertThat(response.getBody()).startsWith("{\"id\":\"")
			.containsPattern(
					"\"room\":\"general\",\"author\":\"Ada Lovelace\",\"text\":\".*\",\"createdAt\":\"\\d{4}-\\d{2}-\\d{2}T[^\"]+Z\"\\}$")
			.doesNotContain("clientMessageId");
	}

	@Test
	void decodesABase64EncodedBody() {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-post-base64.json", APIGatewayV2HTTPEvent.class);
		assertThat(event.getIsBase64Encoded()).isTrue();

		APIGatewayV2HTTPResponse response = this.function.apply(event);

		assertThat(response.getStatusCode()).isEqualTo(201);
		assertThat(this.store.latest("general", null, 10)).singleElement().satisfies((message) -> {
			assertThat(message.text())
				.isEqualTo("Encoded by API Gateway: \u00dcn\u00efc\u00f6d\u00e9 and \uD83D\uDE80 survive.");
			assertThat(message.author()).isEqualTo("grace");
		});
	}

	@Test
	void takesTheAuthorFromTheJwtRatherThanTheBody() {
		assertThat(postAs(claims("name", "Ada Lovelace", "preferred_username", "ada", "sub", "s-1")).author())
			.isEqualTo("Ada Lovelace");
		assertThat(postAs(claims("preferred_username", "ada", "cognito:username", "ada-c", "sub", "s-1")).author())
			.isEqualTo("ada");
		assertThat(postAs(claims("cognito:username", "ada-c", "sub", "s-1")).author()).isEqualTo("ada-c");
		assertThat(postAs(claims("sub", "s-1", "email", "ada@example.com")).author()).isEqualTo("s-1");
	}

	@Test
	void skipsBlankClaims() {
		assertThat(postAs(claims("name", " ", "preferred_username", "ada")).author()).isEqualTo("ada");
	}

	@Test
	void keepsTheBodysAuthorWithoutAnAuthorClaimOrOnADirectInvocation() {
		assertThat(postAs(claims("email", "ada@example.com")).author()).isEqualTo("mallory");
		APIGatewayV2HTTPEvent direct = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
		direct.setBody("{\"room\":\"general\",\"author\":\"mallory\",\"text\":\"Hi\"}");
		direct.setRequestContext(null);
		APIGatewayV2HTTPResponse response = this.function.apply(direct);
		assertThat(response.getStatusCode()).as("IAM authorized a direct invocation").isEqualTo(201);
		assertThat(json.readValue(response.getBody(), ChatMessage.class).author()).isEqualTo("mallory");
	}

	@ParameterizedTest
	@ValueSource(strings = { "[viewer]", "[]", "[owner]" })
	void refusesACallerWhoseRoleIsTooLowWithA403AndStoresNothing(String groups) {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
		event.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", groups);

		APIGatewayV2HTTPResponse response = this.function.apply(event);

		assertProblem(response, 403, "Forbidden");
		assertThat(response.getBody()).contains("Posting a message needs the role 'member'");
		assertThat(this.store.latest("general", null, 10)).isEmpty();
		assertThat(this.broadcaster.delivered()).isEmpty();
	}

	@Test
	void refusesARequestThroughTheApiWithoutAJwtWithA401AndStoresNothing() {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
		event.getRequestContext().setAuthorizer(null);

		APIGatewayV2HTTPResponse response = this.function.apply(event);

		assertProblem(response, 401, "Unauthorized");
		assertThat(this.store.latest("general", null, 10)).isEmpty();
		assertThat(this.broadcaster.delivered()).isEmpty();
	}

	@Test
	void readsRolesFromTheConfiguredClaim() {
		PostMessageEventFunction custom = new PostMessageEventFunction(
				new ChatService(this.store, new BroadcastService(List.of(this.broadcaster),
						BroadcastService.Backoff.defaults(), new SimpleMeterRegistry()), 50)::post,
				new RoleClaims("custom:role"));
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
		event.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:role", "viewer");

		assertProblem(custom.apply(event), 403, "Forbidden");
		event.getRequestContext().getAuthorizer().getJwt().getClaims().put("custom:role", "member");
		assertThat(custom.apply(event).getStatusCode()).isEqualTo(201);
	}

	@Test
	void answersARepeatedPostWithTheFirstMessageAndStoresAndBroadcastsItOnce() {
		APIGatewayV2HTTPResponse first = this.function
			.apply(Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class));
		APIGatewayV2HTTPResponse again = this.function
			.apply(Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class));

		assertThat(again.getStatusCode()).isEqualTo(201);
		assertThat(again.getBody()).isEqualTo(first.getBody());
		assertThat(this.store.latest("general", null, 10)).hasSize(1);
		assertThat(this.broadcaster.delivered()).hasSize(1);
	}

	@Test
	void answersMalformedJsonWithA400Problem() {
		APIGatewayV2HTTPResponse response = this.function
			.apply(Events.load("apigw-v2-post-malformed.json", APIGatewayV2HTTPEvent.class));

		assertProblem(response, 400, "Invalid input");
		assertThat(problem(response).path("detail").asString()).startsWith("Malformed JSON: ");
		assertThat(this.store.latest("general", null, 10)).isEmpty();
	}

	@Test
	void answersOverLongTextWithA413Problem() {
		String text = "a".repeat(NewMessage.MAX_TEXT + 1);
		APIGatewayV2HTTPResponse response = this.function
			.apply(withBody("{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"" + text + "\"}"));

		assertProblem(response, 413, "Input too large");
		assertThat(problem(response).path("detail").asString())
			.isEqualTo("The text is 4001 characters; at most 4000 are allowed");
		assertThat(this.store.latest("general", null, 10)).isEmpty();
	}

	@Test
	void answersAnInvalidMessageWithA400ProblemSayingWhy() {
		APIGatewayV2HTTPResponse response = this.function
			.apply(withBody("{\"room\":\"General!\",\"author\":\"Ada\",\"text\":\"Hi\"}"));

		assertProblem(response, 400, "Invalid input");
		assertThat(problem(response).path("detail").asString()).contains("room");
	}

	@Test
	void answersABodyThatIsNotAJsonObjectWithA400Problem() {
		assertProblem(this.function.apply(withBody("null")), 400, "Invalid input");
		assertProblem(this.function.apply(withBody("[1, 2]")), 400, "Invalid input");
		assertProblem(this.function.apply(withBody("\"text\"")), 400, "Invalid input");
		assertProblem(this.function.apply(withBody("{\"room\":\"general\"} {}")), 400, "Invalid input");
		assertThat(this.store.latest("general", null, 10)).isEmpty();
	}

	@Test
	void answersAMissingBodyWithA400Problem() {
		assertProblem(this.function.apply(withBody(null)), 400, "Invalid input");
		assertProblem(this.function.apply(withBody("  ")), 400, "Invalid input");
	}

	@Test
	void answersABodyMarkedBase64ThatIsNotWithA400Problem() {
		APIGatewayV2HTTPEvent event = withBody("{\"room\":\"general\"}");
		event.setIsBase64Encoded(true);

		APIGatewayV2HTTPResponse response = this.function.apply(event);

		assertProblem(response, 400, "Invalid input");
		assertThat(problem(response).path("detail").asString()).contains("base64");
	}

	@Test
	void answersABodyThatIsNotUtf8WithA400Problem() {
		APIGatewayV2HTTPEvent event = withBody(Base64.getEncoder()
			.encodeToString(new byte[] { '{', '"', 'r', '"', ':', '"', (byte) 0xC3, (byte) 0x28, '"', '}' }));
		event.setIsBase64Encoded(true);

		assertProblem(this.function.apply(event), 400, "Invalid input");
	}

	@Test
	void answersABodyThatIsNotJsonWith415Problem() {
		APIGatewayV2HTTPResponse response = this.function
			.apply(Events.load("apigw-v2-post-text-plain.json", APIGatewayV2HTTPEvent.class));

		assertProblem(response, 415, "Unsupported input format");
		assertThat(problem(response).path("detail").asString()).contains("text/plain");
	}

	@Test
	void acceptsJsonContentTypesWithParametersOrSuffixesAndAnyCase() {
		for (String type : List.of("application/json; charset=UTF-8", "Application/JSON",
				"application/vnd.skyfold.message+json")) {
			APIGatewayV2HTTPEvent event = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
			event.getHeaders().put("content-type", type);
			assertThat(this.function.apply(event).getStatusCode()).as(type).isEqualTo(201);
		}
		APIGatewayV2HTTPEvent upperCaseName = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
		upperCaseName.getHeaders().remove("content-type");
		upperCaseName.getHeaders().put("Content-Type", "text/csv");
		assertThat(this.function.apply(upperCaseName).getStatusCode()).isEqualTo(415);
	}

	@Test
	void answersAStoreFailureWithA500ProblemWithoutInternals() {
		PostMessageEventFunction failing = function(new MessageStore() {

			@Override
			public Saved save(NewMessage message, String id, Instant createdAt) {
				throw new IllegalStateException("secret connection string");
			}

			@Override
			public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
				return List.of();
			}

		});

		APIGatewayV2HTTPResponse response = failing
			.apply(Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class));

		assertProblem(response, 500, "Internal error");
		assertThat(response.getBody()).doesNotContain("secret");
	}

	private ChatMessage postAs(@Nullable Map<String, String> claims) {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
		event.setBody("{\"room\":\"general\",\"author\":\"mallory\",\"text\":\"Hi\"}");
		if (claims == null) {
			event.getRequestContext().setAuthorizer(null);
		}
		else {
			claims.putIfAbsent("cognito:groups", "[member]");
			event.getRequestContext().getAuthorizer().getJwt().setClaims(claims);
		}
		APIGatewayV2HTTPResponse response = this.function.apply(event);
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(201);
		return json.readValue(response.getBody(), ChatMessage.class);
	}

	private static Map<String, String> claims(String... namesAndValues) {
		Map<String, String> claims = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			claims.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return claims;
	}

	private static APIGatewayV2HTTPEvent withBody(@Nullable String body) {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class);
		event.setBody(body);
		return event;
	}

	private static JsonNode problem(APIGatewayV2HTTPResponse response) {
		return json.readTree(response.getBody());
	}

	private static void assertProblem(APIGatewayV2HTTPResponse response, int status, String title) {
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(status);
		assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
		JsonNode problem = problem(response);
		assertThat(problem.propertyNames()).containsExactly("type", "title", "status", "detail");
		assertThat(problem.path("type").asString()).isEqualTo("about:blank");
		assertThat(problem.path("title").asString()).isEqualTo(title);
		assertThat(problem.path("status").asInt()).isEqualTo(status);
		assertThat(problem.path("detail").asString()).isNotBlank();
	}

}
