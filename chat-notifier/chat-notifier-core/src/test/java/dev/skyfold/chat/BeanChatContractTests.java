package dev.skyfold.chat;

import java.util.List;
import java.util.function.Supplier;

import dev.skyfold.chat.adapter.inmemory.InMemoryMessageStore;
import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.application.MessageHistoryFunction;
import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.chat.application.RecordingBroadcaster;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.ChatFunctionContract;
import dev.skyfold.testsupport.contract.ChatHost;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.Verdict;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The chat functions' contract on the beans, built without Spring as a user's own tests
 * build them (the README's recipe), over the in-memory store, with a broadcaster that
 * records what it sends.
 */
class BeanChatContractTests extends ChatFunctionContract {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@Override
	protected ChatHost chatHost() {
		RecordingBroadcaster subscribers = new RecordingBroadcaster("recording");
		BroadcastService broadcasts = new BroadcastService(List.of(subscribers), BroadcastService.Backoff.defaults(),
				new SimpleMeterRegistry());
		ChatService chat = new ChatService(new InMemoryMessageStore(), broadcasts, 50);
		PostMessageFunction postMessage = new PostMessageFunction(chat);
		MessageHistoryFunction messageHistory = new MessageHistoryFunction(chat);
		BroadcastMessageFunction broadcastMessage = new BroadcastMessageFunction(broadcasts);
		return new ChatHost() {

			@Override
			public Host host() {
				return Host.BEANS;
			}

			@Override
			public @Nullable String author(Caller caller) {
				return null;
			}

			@Override
			public Answer postMessage(Caller caller, String body, String contentType) {
				return called(() -> postMessage.apply(JSON.readValue(body, PostMessage.class)));
			}

			@Override
			public Answer messageHistory(Caller caller, HistoryQuery query) {
				return called(() -> messageHistory
					.apply(HistoryRequest.fromQuery(query.room(), query.before(), query.beforeId(), query.limit())));
			}

			@Override
			public Answer broadcastMessage(Caller caller, JsonNode message) {
				return called(() -> broadcastMessage.apply(JSON.treeToValue(message, ChatMessage.class)));
			}

			@Override
			public void listen(String room) {
				// The broadcaster records every message from the start.
			}

			@Override
			public List<String> pushed(String room) {
				return subscribers.delivered()
					.stream()
					.filter((message) -> message.room().equals(room))
					.map(ChatMessage::text)
					.toList();
			}

		};
	}

	private static Answer called(Supplier<Object> call) {
		try {
			return Answer.done(JSON.valueToTree(call.get()));
		}
		catch (RejectedInputException ex) {
			return Answer.refused(Verdict.ofStatus(ex.rejection().httpStatus()), ex.getMessage());
		}
	}

}
