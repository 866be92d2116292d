package dev.skyfold.testsupport.contract;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.TestFactory;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

import dev.skyfold.testsupport.contract.ChatHost.HistoryQuery;

import static dev.skyfold.testsupport.contract.Expectations.awaitPushed;
import static dev.skyfold.testsupport.contract.Expectations.expectDone;
import static dev.skyfold.testsupport.contract.Expectations.expectNothingPushed;
import static dev.skyfold.testsupport.contract.Expectations.expectRefused;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract of {@code postMessage}, {@code messageHistory} and
 * {@code broadcastMessage}, the same on every host: a host's test class extends it and
 * gives its driver; every case the host's triggers can express runs unchanged. Each case
 * uses rooms of its own.
 */
public abstract class ChatFunctionContract {

	private static final String JSON = "application/json";

	private static final String AUTHOR = "Ada";

	/**
	 * The driver of the host under test.
	 * @return the driver, ready to call
	 */
	protected abstract ChatHost chatHost();

	@TestFactory
	Stream<DynamicNode> chatFunctionContract() {
		ChatHost driver = chatHost();
		Host host = driver.host();
		List<DynamicNode> functions = new ArrayList<>();
		host.trigger(SkyfoldFunction.POST_MESSAGE)
			.ifPresent((trigger) -> functions
				.add(postMessage(driver, trigger).named(SkyfoldFunction.POST_MESSAGE, trigger)));
		host.trigger(SkyfoldFunction.MESSAGE_HISTORY)
			.ifPresent((trigger) -> functions
				.add(messageHistory(driver, trigger).named(SkyfoldFunction.MESSAGE_HISTORY, trigger)));
		host.trigger(SkyfoldFunction.BROADCAST_MESSAGE)
			.ifPresent((trigger) -> functions
				.add(broadcastMessage(driver, trigger).named(SkyfoldFunction.BROADCAST_MESSAGE, trigger)));
		return functions.stream();
	}

	private static Case.Cases postMessage(ChatHost driver, Trigger trigger) {
		Host host = driver.host();
		return new Case.Cases().add("stores a message, answers it with its id and the caller as author", () -> {
			String room = room();
			driver.listen(room);
			Answer answer = post(driver, Caller.MEMBER, room, "  Hello, contract  ", null);
			expectDone(answer, host, SkyfoldFunction.POST_MESSAGE);
			JsonNode message = answer.body();
			assertThat(message.path("id").asString("")).isNotBlank();
			assertThat(message.path("room").asString("")).isEqualTo(room);
			assertThat(message.path("text").asString("")).isEqualTo("Hello, contract");
			assertThat(message.path("author").asString("")).isEqualTo(expectedAuthor(driver, Caller.MEMBER));
			assertThat(Instant.parse(message.path("createdAt").asString(""))).isBeforeOrEqualTo(Instant.now());
			assertThat(history(driver, room)).extracting((m) -> m.path("id").asString(""))
				.containsExactly(message.path("id").asString(""));
			if (host.broadcastsOnPost()) {
				awaitPushed(() -> driver.pushed(room), "Hello, contract");
			}
		}).add("stores a repeat with the same client message id once, answering the first message", () -> {
			String room = room();
			Answer first = post(driver, Caller.MEMBER, room, "once", "client-1");
			Answer again = post(driver, Caller.MEMBER, room, "once", "client-1");
			expectDone(first, host, SkyfoldFunction.POST_MESSAGE);
			expectDone(again, host, SkyfoldFunction.POST_MESSAGE);
			assertThat(again.body().path("id").asString("")).isEqualTo(first.body().path("id").asString(""));
			assertThat(history(driver, room)).hasSize(1);
		}).add("refuses blank text as invalid and stores nothing", () -> {
			String room = room();
			driver.listen(room);
			expectRefused(post(driver, Caller.MEMBER, room, "   ", null), trigger, Verdict.INVALID, "text");
			assertThat(history(driver, room)).isEmpty();
			expectNothingPushed(() -> driver.pushed(room));
		})
			.add("refuses a room that is not a room name as invalid",
					() -> expectRefused(post(driver, Caller.MEMBER, "Not A Room!", "hello", null), trigger,
							Verdict.INVALID, "room"))
			.add("refuses text over 4000 characters as too large and stores nothing", () -> {
				String room = room();
				expectRefused(post(driver, Caller.MEMBER, room, "x".repeat(4001), null), trigger, Verdict.TOO_LARGE,
						"4000");
				assertThat(history(driver, room)).isEmpty();
			})
			.addIf(trigger == Trigger.HTTP, "refuses a body that is not JSON as unsupported and stores nothing", () -> {
				String room = room();
				expectRefused(driver.postMessage(Caller.MEMBER, "room=" + room + "&text=hello", "text/plain"), trigger,
						Verdict.UNSUPPORTED, "json");
				assertThat(history(driver, room)).isEmpty();
			})
			.addIf(trigger == Trigger.HTTP, "refuses malformed JSON as invalid",
					() -> expectRefused(driver.postMessage(Caller.MEMBER, "{\"room\": \"a\", \"text\": ", JSON),
							trigger, Verdict.INVALID, ""))
			.addIf(trigger.hasCaller(), "refuses a caller without credentials and stores nothing", () -> {
				String room = room();
				expectRefused(post(driver, Caller.ANONYMOUS, room, "anonymous", null), trigger, Verdict.UNAUTHENTICATED,
						"");
				assertThat(history(driver, room)).isEmpty();
			})
			.addIf(trigger.hasCaller() && host.verifiesTokens(), "refuses a forged token and stores nothing", () -> {
				String room = room();
				expectRefused(post(driver, Caller.FORGED, room, "forged", null), trigger, Verdict.UNAUTHENTICATED, "");
				assertThat(history(driver, room)).isEmpty();
			})
			.addIf(trigger.hasCaller(), "refuses a viewer, since posting needs the role member, and stores nothing",
					() -> {
						String room = room();
						expectRefused(post(driver, Caller.VIEWER, room, "viewer", null), trigger, Verdict.FORBIDDEN,
								"member");
						assertThat(history(driver, room)).isEmpty();
					});
	}

	private static Case.Cases messageHistory(ChatHost driver, Trigger trigger) {
		Host host = driver.host();
		return new Case.Cases().add("answers a room's messages oldest first", () -> {
			String room = room();
			for (String text : List.of("one", "two", "three")) {
				expectDone(post(driver, Caller.MEMBER, room, text, null), host, SkyfoldFunction.POST_MESSAGE);
			}
			Answer answer = driver.messageHistory(Caller.VIEWER, HistoryQuery.of(room));
			expectDone(answer, host, SkyfoldFunction.MESSAGE_HISTORY);
			assertThat(answer.body().path("room").asString("")).isEqualTo(room);
			assertThat(texts(answer.body().path("messages"))).containsExactly("one", "two", "three");
		}).add("pages back from the oldest message seen, with before and beforeId", () -> {
			String room = room();
			for (String text : List.of("one", "two", "three")) {
				expectDone(post(driver, Caller.MEMBER, room, text, null), host, SkyfoldFunction.POST_MESSAGE);
			}
			Answer newest = driver.messageHistory(Caller.VIEWER, new HistoryQuery(room, null, null, "2"));
			expectDone(newest, host, SkyfoldFunction.MESSAGE_HISTORY);
			assertThat(texts(newest.body().path("messages"))).containsExactly("two", "three");
			JsonNode oldest = newest.body().path("messages").get(0);
			Answer older = driver.messageHistory(Caller.VIEWER,
					new HistoryQuery(room, oldest.path("createdAt").asString(""), oldest.path("id").asString(""), "2"));
			expectDone(older, host, SkyfoldFunction.MESSAGE_HISTORY);
			assertThat(texts(older.body().path("messages"))).containsExactly("one");
		}).add("answers an unknown room with an empty history", () -> {
			Answer answer = driver.messageHistory(Caller.VIEWER, HistoryQuery.of(room()));
			expectDone(answer, host, SkyfoldFunction.MESSAGE_HISTORY);
			assertThat(answer.body().path("messages").isArray()).isTrue();
			assertThat(answer.body().path("messages")).isEmpty();
		})
			.add("refuses a limit over 200 as invalid",
					() -> expectRefused(
							driver.messageHistory(Caller.VIEWER, new HistoryQuery(room(), null, null, "201")), trigger,
							Verdict.INVALID, "limit"))
			.add("refuses beforeId without before as invalid",
					() -> expectRefused(
							driver.messageHistory(Caller.VIEWER, new HistoryQuery(room(), null, "some-id", null)),
							trigger, Verdict.INVALID, "before"))
			.addIf(trigger.hasCaller(), "refuses a caller without credentials",
					() -> expectRefused(driver.messageHistory(Caller.ANONYMOUS, HistoryQuery.of(room())), trigger,
							Verdict.UNAUTHENTICATED, ""))
			.addIf(trigger.hasCaller() && host.verifiesTokens(), "refuses a forged token",
					() -> expectRefused(driver.messageHistory(Caller.FORGED, HistoryQuery.of(room())), trigger,
							Verdict.UNAUTHENTICATED, ""));
	}

	private static Case.Cases broadcastMessage(ChatHost driver, Trigger trigger) {
		Host host = driver.host();
		return new Case.Cases().add("sends a stored message to its room's subscribers", () -> {
			String room = room();
			driver.listen(room);
			Answer answer = driver.broadcastMessage(Caller.ADMIN, message(room, "broadcast me"));
			expectDone(answer, host, SkyfoldFunction.BROADCAST_MESSAGE);
			awaitPushed(() -> driver.pushed(room), "broadcast me");
		}).add("rejects a message whose room is not a room name and sends nothing", () -> {
			String room = room();
			driver.listen(room);
			ObjectNode message = message(room, "never sent");
			message.put("room", "Not A Room!");
			expectRefused(driver.broadcastMessage(Caller.ADMIN, message), trigger, Verdict.INVALID, "room");
			expectNothingPushed(() -> driver.pushed(room));
		})
			.addIf(trigger.hasCaller(),
					"refuses a member's direct call, since it needs the role admin, and sends nothing", () -> {
						String room = room();
						driver.listen(room);
						expectRefused(driver.broadcastMessage(Caller.MEMBER, message(room, "member's")), trigger,
								Verdict.FORBIDDEN, "admin");
						expectNothingPushed(() -> driver.pushed(room));
					});
	}

	private static String room() {
		return Samples.unique("contract");
	}

	private static Answer post(ChatHost driver, Caller caller, String room, String text,
			@Nullable String clientMessageId) {
		ObjectNode body = JsonNodeFactory.instance.objectNode()
			.put("room", room)
			.put("author", AUTHOR)
			.put("text", text);
		if (clientMessageId != null) {
			body.put("clientMessageId", clientMessageId);
		}
		return driver.postMessage(caller, body.toString(), JSON);
	}

	private static String expectedAuthor(ChatHost driver, Caller caller) {
		String author = driver.author(caller);
		return (author != null) ? author : AUTHOR;
	}

	private static List<JsonNode> history(ChatHost driver, String room) {
		Answer answer = driver.messageHistory(Caller.ADMIN, HistoryQuery.of(room));
		expectDone(answer, driver.host(), SkyfoldFunction.MESSAGE_HISTORY);
		List<JsonNode> messages = new ArrayList<>();
		answer.body().path("messages").forEach(messages::add);
		return messages;
	}

	private static List<String> texts(JsonNode messages) {
		List<String> texts = new ArrayList<>();
		messages.forEach((message) -> texts.add(message.path("text").asString("")));
		return texts;
	}

	private static ObjectNode message(String room, String text) {
		return JsonNodeFactory.instance.objectNode()
			.put("id", Samples.unique("message"))
			.put("room", room)
			.put("author", AUTHOR)
			.put("text", text)
			.put("createdAt", Instant.now().toString());
	}

}
