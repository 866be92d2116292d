package dev.skyfold.chat.aws.lambda;

import java.time.Instant;
import java.util.List;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import dev.skyfold.chat.adapter.inmemory.InMemoryMessageStore;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.kernel.access.RoleClaims;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code messageHistory} behind API Gateway: the query string asks for a room's latest
 * messages, which come back as JSON, oldest first.
 */
class MessageHistoryEventFunctionTests {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Instant T0 = Instant.parse("2026-03-01T12:00:00.000001Z");

	private final InMemoryMessageStore store = new InMemoryMessageStore();

	private final MessageHistoryEventFunction function = new MessageHistoryEventFunction(new ChatService(this.store,
			new BroadcastService(List.of(), BroadcastService.Backoff.defaults(), new SimpleMeterRegistry()),
			50)::history, new RoleClaims(RoleClaims.DEFAULT_CLAIM));

	@BeforeEach
	void storeMessages() {
		for (int i = 0; i < 12; i++) {
			this.store.save(new NewMessage("general", "Ada", "message " + i, null), "id-" + i, T0.plusSeconds(i));
		}
	}

	@Test
	void refusesACallerWithoutARoleWithA403() {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-get-history.json", APIGatewayV2HTTPEvent.class);
		event.getRequestContext().getAuthorizer().getJwt().getClaims().remove("cognito:groups");

		APIGatewayV2HTTPResponse response = this.function.apply(event);

		assertThat(response.getStatusCode()).isEqualTo(403);
		assertThat(response.getBody()).contains("Reading a room's history needs the role 'viewer'");
	}

	@Test
	void letsAViewerRead() {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-get-history.json", APIGatewayV2HTTPEvent.class);
		event.getRequestContext().getAuthorizer().getJwt().getClaims().put("cognito:groups", "[viewer]");

		assertThat(this.function.apply(event).getStatusCode()).isEqualTo(200);
	}

	@Test
	void answersTheRoomsLatestMessagesOldestFirst() {
		APIGatewayV2HTTPResponse response = this.function
			.apply(Events.load("apigw-v2-get-history.json", APIGatewayV2HTTPEvent.class));

		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(response.getHeaders()).containsEntry("Content-Type", "application/json");
		var history = json.readTree(response.getBody());
		assertThat(history.path("room").asString()).isEqualTo("general");
		assertThat(history.path("messages").valueStream().map((message) -> message.path("id").asString()))
			.containsExactly("id-2", "id-3", "id-4", "id-5", "id-6", "id-7", "id-8", "id-9", "id-10", "id-11");
		assertThat(history.path("messages").get(0).path("createdAt").asString())
			.isEqualTo("2026-03-01T12:00:02.000001Z");
	}

	@Test
	void pagesBackBeforeAnInstant() {
		APIGatewayV2HTTPResponse response = this.function
			.apply(query("room", "general", "before", T0.plusSeconds(3).toString(), "limit", "2"));

		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(json.readTree(response.getBody()).path("messages").valueStream().map((m) -> m.path("id").asString()))
			.containsExactly("id-1", "id-2");
	}

	@Test
	void pagesBackFromAMessageWithBeforeIdThroughMessagesOfTheSameInstant() {
		Instant instant = T0.plusSeconds(20);
		for (String id : new String[] { "same-c", "same-a", "same-d", "same-b" }) {
			this.store.save(new NewMessage("general", "Ada", id, null), id, instant);
		}

		APIGatewayV2HTTPResponse response = this.function
			.apply(query("room", "general", "before", instant.toString(), "beforeId", "same-c", "limit", "3"));

		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(200);
		assertThat(json.readTree(response.getBody()).path("messages").valueStream().map((m) -> m.path("id").asString()))
			.containsExactly("id-11", "same-a", "same-b");
	}

	@Test
	void answersAnUnknownRoomWithAnEmptyHistory() {
		APIGatewayV2HTTPResponse response = this.function.apply(query("room", "nobody-here"));

		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(json.readTree(response.getBody()).path("messages").isEmpty()).isTrue();
	}

	@Test
	void answersBadParametersWithA400Problem() {
		assertBadRequest(query(), "room");
		assertBadRequest(query("room", "general", "before", "yesterday"), "before");
		assertBadRequest(query("room", "general", "beforeId", "id-3"), "'beforeId' needs 'before'");
		assertBadRequest(query("room", "general", "before", T0.toString(), "beforeId", "x".repeat(129)), "beforeId");
		assertBadRequest(query("room", "general", "limit", "ten"), "limit");
		assertBadRequest(query("room", "general", "limit", "201"), "limit");
	}

	private void assertBadRequest(APIGatewayV2HTTPEvent event, String named) {
		APIGatewayV2HTTPResponse response = this.function.apply(event);
		assertThat(response.getStatusCode()).as(response.getBody()).isEqualTo(400);
		assertThat(response.getHeaders()).containsEntry("Content-Type", "application/problem+json");
		assertThat(json.readTree(response.getBody()).path("detail").asString()).contains(named);
	}

	private static APIGatewayV2HTTPEvent query(String... namesAndValues) {
		APIGatewayV2HTTPEvent event = Events.load("apigw-v2-get-history.json", APIGatewayV2HTTPEvent.class);
		event.getQueryStringParameters().clear();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			event.getQueryStringParameters().put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return event;
	}

}
