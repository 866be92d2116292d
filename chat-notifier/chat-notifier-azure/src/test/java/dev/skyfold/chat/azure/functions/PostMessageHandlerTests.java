package dev.skyfold.chat.azure.functions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.domain.PostMessage;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link PostMessageHandler} maps Azure's HTTP requests to the core's {@code postMessage}
 * and its results and rejections to HTTP responses.
 */
class PostMessageHandlerTests {

	private static final Instant NOW = Instant.parse("2026-03-01T12:34:56.123456Z");

	private final List<PostMessage> posted = new ArrayList<>();

	/** Checks the message as the core does, and stores nothing. */
	private final PostMessageHandler handler = new PostMessageHandler((post) -> {
		this.posted.add(post);
		NewMessage message = NewMessage.from(post);
		return new ChatMessage("m-1", message.room(), message.author(), message.text(), NOW);
	});

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
	void answersAFailureWithAnInternalErrorProblemWithoutItsDetails() {
		PostMessageHandler failing = new PostMessageHandler((post) -> {
			throw new IllegalStateException("table unreachable: secret-connection-string");
		});

		TestHttpRequest.Response response = (TestHttpRequest.Response) failing
			.run(TestHttpRequest.sample("post-message.json"), TestExecutionContext.of("postMessage"));

		assertProblem(response, 500, "log");
		assertThat(response.getBody().toString()).doesNotContain("secret");
	}

	private TestHttpRequest.Response post(TestHttpRequest request) {
		return (TestHttpRequest.Response) this.handler.run(request, TestExecutionContext.of("postMessage"));
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
