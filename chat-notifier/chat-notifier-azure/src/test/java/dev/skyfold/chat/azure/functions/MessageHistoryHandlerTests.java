package dev.skyfold.chat.azure.functions;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.domain.Rooms;
import dev.skyfold.kernel.access.RoleClaims;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

import static dev.skyfold.chat.azure.functions.PostMessageHandlerTests.assertProblem;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link MessageHistoryHandler} maps Azure's HTTP requests to the core's
 * {@code messageHistory} and its results and rejections to HTTP responses.
 */
class MessageHistoryHandlerTests {

	private static final ChatMessage MESSAGE = new ChatMessage("m-1", "general", "Ada", "Hello",
			Instant.parse("2026-03-01T12:34:56.123456Z"));

	private final List<HistoryRequest> requests = new ArrayList<>();

	private final MessageHistoryHandler handler = new MessageHistoryHandler((request) -> {
		this.requests.add(request);
		return new MessageHistory(Rooms.check(request.room()), List.of(MESSAGE));
	}, new RoleClaims(RoleClaims.DEFAULT_CLAIM));

	@Test
	void refusesACallerWithoutARoleWithA403() {
		String noRole = Base64.getEncoder()
			.encodeToString("{\"claims\":[{\"typ\":\"name\",\"val\":\"Bob\"}]}".getBytes());

		TestHttpRequest.Response response = get(
				TestHttpRequest.sample("message-history.json").withHeader("x-ms-client-principal", noRole));

		assertThat(response.getStatusCode()).isEqualTo(403);
		assertThat(response.getBody().toString()).contains("Reading a room's history needs the role 'viewer'");
		assertThat(this.requests).isEmpty();
	}

	@Test
	void answersOkWithTheRoomsHistoryAsJson() {
		TestHttpRequest.Response response = get(TestHttpRequest.sample("message-history.json"));

		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(response.getHeader("Content-Type")).isEqualTo("application/json");
		JsonNode history = response.json();
		assertThat(history.path("room").asString()).isEqualTo("general");
		assertThat(history.path("messages")).hasSize(1);
		assertThat(history.path("messages").get(0).path("createdAt").asString())
			.isEqualTo("2026-03-01T12:34:56.123456Z");
		assertThat(this.requests).containsExactly(new HistoryRequest("general", null, 50));
	}

	@Test
	void passesBeforeAndLimitFromTheQuery() {
		get(TestHttpRequest.sample("message-history.json")
			.withQuery("before", "2026-03-01T12:00:00Z")
			.withQuery("limit", "7"));

		assertThat(this.requests)
			.containsExactly(new HistoryRequest("general", Instant.parse("2026-03-01T12:00:00Z"), 7));
	}

	@Test
	void passesBeforeIdFromTheQuery() {
		get(TestHttpRequest.sample("message-history.json")
			.withQuery("before", "2026-03-01T12:00:00Z")
			.withQuery("beforeId", "m-7")
			.withQuery("limit", "7"));

		assertThat(this.requests)
			.containsExactly(new HistoryRequest("general", Instant.parse("2026-03-01T12:00:00Z"), "m-7", 7));
	}

	@Test
	void answersABadQueryWithABadRequestProblem() {
		assertProblem(get(TestHttpRequest.sample("message-history.json").withQuery("before", "yesterday")), 400,
				"'before'");
		assertProblem(get(TestHttpRequest.sample("message-history.json").withQuery("limit", "many")), 400, "'limit'");
		assertProblem(get(TestHttpRequest.sample("message-history.json").withQuery("beforeId", "m-7")), 400,
				"'beforeId' needs 'before'");
		assertProblem(get(TestHttpRequest.sample("message-history.json").withQuery("room", "")), 400, "room");
		assertThat(this.requests).hasSize(1);
	}

	private TestHttpRequest.Response get(TestHttpRequest request) {
		return (TestHttpRequest.Response) this.handler.run(request, new TestExecutionContext("messageHistory"));
	}

}
