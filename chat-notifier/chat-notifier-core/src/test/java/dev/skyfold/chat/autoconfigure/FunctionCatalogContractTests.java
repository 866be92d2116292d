package dev.skyfold.chat.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import javax.sql.DataSource;

import dev.skyfold.chat.adapter.inmemory.InMemoryMessageStore;
import dev.skyfold.chat.adapter.jdbc.JdbcMessageStore;
import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.application.MessageHistoryFunction;
import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.chat.application.RecordingBroadcaster;
import dev.skyfold.chat.application.RecordingRoomSubscriptions;
import dev.skyfold.chat.application.RoomSubscriptionService;
import dev.skyfold.chat.application.SubscribeToRoomFunction;
import dev.skyfold.chat.application.UnsubscribeFromRoomFunction;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.chat.domain.DroppedToken;
import dev.skyfold.chat.domain.HistoryRequest;
import dev.skyfold.chat.domain.MessageHistory;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.domain.RoomSubscriptionRequest;
import dev.skyfold.chat.domain.RoomSubscriptionResult;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.RoomSubscriptions;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.kernel.access.Role;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.NoUniqueBeanDefinitionException;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.cloud.function.context.config.RoutingFunction;
import org.springframework.cloud.function.json.JsonMapper;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

import static dev.skyfold.chat.application.RecordingBroadcaster.transientFailure;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The deployment contract: the function catalog of any host exposes {@code postMessage},
 * {@code broadcastMessage} and {@code messageHistory} with their input and output types,
 * and {@code subscribeToRoom} and {@code unsubscribeFromRoom} exactly when the host has
 * room subscriptions; it stores in the host's database when it has one, and honours the
 * {@code skyfold.chat.*} settings.
 */
class FunctionCatalogContractTests {

	private static final ChatMessage SAMPLE = new ChatMessage("0f8e7c1a-3b2d-4c5e-9f60-718293a4b5c6", "general", "Ada",
			"Hello, room! \uD83D\uDE80\nA second line.", Instant.parse("2026-03-01T12:34:56.123456Z"));

	@TempDir
	Path data;

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations
			.of(ChatNotifierAutoConfiguration.class, ContextFunctionCatalogAutoConfiguration.class));
	}

	/**
	 * A host with a database, set up as the local app's: an H2 file migrated by Flyway.
	 */
	private ApplicationContextRunner databaseRunner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class,
					ChatNotifierAutoConfiguration.class, ContextFunctionCatalogAutoConfiguration.class))
			.withPropertyValues("spring.datasource.url=jdbc:h2:file:" + this.data.resolve("messages").toAbsolutePath(),
					"spring.datasource.username=sa", "spring.flyway.locations=classpath:db/migration/chat");
	}

	private static FunctionInvocationWrapper lookup(AssertableApplicationContext context, String name) {
		FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class).lookup(name);
		assertThat(function).as("function '%s' in the catalog", name).isNotNull();
		return function;
	}

	private static Message<byte[]> json(String json) {
		return json(json.getBytes(StandardCharsets.UTF_8));
	}

	private static Message<byte[]> json(byte[] json) {
		return MessageBuilder.withPayload(json).setHeader(MessageHeaders.CONTENT_TYPE, "application/json").build();
	}

	@Test
	void exposesPostMessageFromPostMessageToChatMessage() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).getBean(PostMessageFunction.NAME).isInstanceOf(PostMessageFunction.class);
			FunctionInvocationWrapper function = lookup(context, "postMessage");
			assertThat(function.isFunction()).isTrue();
			assertThat(function.getFunctionDefinition()).isEqualTo("postMessage");
			assertThat(function.getInputType()).isEqualTo(PostMessage.class);
			assertThat(function.getOutputType()).isEqualTo(ChatMessage.class);
		});
	}

	@Test
	void exposesBroadcastMessageFromChatMessageToBroadcastResult() {
		runner().run((context) -> {
			assertThat(context).getBean(BroadcastMessageFunction.NAME).isInstanceOf(BroadcastMessageFunction.class);
			FunctionInvocationWrapper function = lookup(context, "broadcastMessage");
			assertThat(function.isFunction()).isTrue();
			assertThat(function.getFunctionDefinition()).isEqualTo("broadcastMessage");
			assertThat(function.getInputType()).isEqualTo(ChatMessage.class);
			assertThat(function.getOutputType()).isEqualTo(BroadcastResult.class);
		});
	}

	@Test
	void exposesMessageHistoryFromHistoryRequestToMessageHistory() {
		runner().run((context) -> {
			assertThat(context).getBean(MessageHistoryFunction.NAME).isInstanceOf(MessageHistoryFunction.class);
			FunctionInvocationWrapper function = lookup(context, "messageHistory");
			assertThat(function.isFunction()).isTrue();
			assertThat(function.getFunctionDefinition()).isEqualTo("messageHistory");
			assertThat(function.getInputType()).isEqualTo(HistoryRequest.class);
			assertThat(function.getOutputType()).isEqualTo(MessageHistory.class);
		});
	}

	@Test
	void exposesTheSubscriptionFunctionsFromRequestToResultWhenTheHostHasRoomSubscriptions() {
		runner().withBean(RoomSubscriptions.class, RecordingRoomSubscriptions::new).run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(RoomSubscriptionService.class);
			assertThat(context).getBean(SubscribeToRoomFunction.NAME).isInstanceOf(SubscribeToRoomFunction.class);
			assertThat(context).getBean(UnsubscribeFromRoomFunction.NAME)
				.isInstanceOf(UnsubscribeFromRoomFunction.class);
			for (String name : List.of("subscribeToRoom", "unsubscribeFromRoom")) {
				FunctionInvocationWrapper function = lookup(context, name);
				assertThat(function.isFunction()).as(name).isTrue();
				assertThat(function.getFunctionDefinition()).isEqualTo(name);
				assertThat(function.getInputType()).as(name).isEqualTo(RoomSubscriptionRequest.class);
				assertThat(function.getOutputType()).as(name).isEqualTo(RoomSubscriptionResult.class);
			}
			assertThat(context.getBean(FunctionCatalog.class).getNames(null)).doesNotContain("roomSubscriptionService");
		});
	}

	@Test
	void hasNoSubscriptionFunctionsWithoutRoomSubscriptions() {
		runner().run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RoomSubscriptionService.class);
			assertThat(context.containsBean(SubscribeToRoomFunction.NAME)).isFalse();
			assertThat(context.containsBean(UnsubscribeFromRoomFunction.NAME)).isFalse();
			FunctionCatalog catalog = context.getBean(FunctionCatalog.class);
			assertThat(catalog.getNames(null)).contains("postMessage")
				.doesNotContain("subscribeToRoom", "unsubscribeFromRoom");
			assertThat((Object) catalog.lookup("subscribeToRoom")).isNull();
			assertThat((Object) catalog.lookup("unsubscribeFromRoom")).isNull();
		});
	}

	@Test
	void subscribesAndUnsubscribesJsonRequestsThroughTheCatalog() {
		RecordingRoomSubscriptions channel = new RecordingRoomSubscriptions().dropping("gone",
				"registration-token-not-registered");
		runner().withBean(RoomSubscriptions.class, () -> channel).run((context) -> {
			Object subscribed = lookup(context, "subscribeToRoom")
				.apply(json("{\"room\":\"general\",\"registrationTokens\":[\"a-1\",\"gone\",\"b-2\"]}"));
			assertThat(subscribed).isEqualTo(new RoomSubscriptionResult("general", List.of("a-1", "b-2"),
					List.of(new DroppedToken("gone", "registration-token-not-registered"))));
			assertThat(channel.members("general")).containsExactlyInAnyOrder("a-1", "b-2");

			Object unsubscribed = lookup(context, "unsubscribeFromRoom")
				.apply(json("{\"room\":\"general\",\"registrationToken\":\"a-1\"}"));
			assertThat(unsubscribed).isEqualTo(new RoomSubscriptionResult("general", List.of("a-1"), List.of()));
			assertThat(channel.members("general")).containsExactly("b-2");
		});
	}

	@Test
	void answersASubscriptionWithJsonListingTheDroppedTokens() {
		RecordingRoomSubscriptions channel = new RecordingRoomSubscriptions().dropping("bad", "invalid-argument");
		runner().withBean(RoomSubscriptions.class, () -> channel).run((context) -> {
			Object output = context.getBean(FunctionCatalog.class)
				.<FunctionInvocationWrapper>lookup("subscribeToRoom", "application/json")
				.apply(json("{\"room\":\"general\",\"registrationTokens\":[\"a-1\",\"bad\"]}"));
			String body = new String((byte[]) ((Message<?>) output).getPayload(), StandardCharsets.UTF_8);
			assertThat(body).contains("\"accepted\":[\"a-1\"]")
				.contains("\"dropped\":[{\"registrationToken\":\"bad\",\"reason\":\"invalid-argument\"}]");
			assertThat(context.getBean(JsonMapper.class)
				.<RoomSubscriptionResult>fromJson(body, RoomSubscriptionResult.class))
				.isEqualTo(new RoomSubscriptionResult("general", List.of("a-1"),
						List.of(new DroppedToken("bad", "invalid-argument"))));
		});
	}

	@Test
	void rejectsAnInvalidJsonSubscriptionAndChangesNothing() {
		RecordingRoomSubscriptions channel = new RecordingRoomSubscriptions();
		runner().withBean(RoomSubscriptions.class, () -> channel).run((context) -> {
			FunctionInvocationWrapper subscribe = lookup(context, "subscribeToRoom");
			assertRejected(() -> subscribe.apply(json("{\"room\":\"General\",\"registrationToken\":\"a-1\"}")),
					Rejection.INVALID);
			assertRejected(() -> subscribe.apply(json("{\"room\":\"general\"}")), Rejection.INVALID);
			assertRejected(
					() -> subscribe
						.apply(json("{\"room\":\"general\",\"registrationToken\":\"" + "t".repeat(4097) + "\"}")),
					Rejection.TOO_LARGE);
			assertRejected(() -> lookup(context, "unsubscribeFromRoom")
				.apply(json("{\"room\":\"general\",\"registrationToken\":\" \"}")), Rejection.INVALID);
			assertThat(channel.calls()).isEmpty();
		});
	}

	@Test
	void registersTheServicesBehindTheFunctionsAsBeansThatAreNotFunctions() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(ChatService.class).hasSingleBean(BroadcastService.class);
			assertThat(context.getBean(FunctionCatalog.class).getNames(null))
				.contains("postMessage", "broadcastMessage", "messageHistory")
				.doesNotContain("chatService", "broadcastService");
		});
	}

	@Test
	void postsAJsonMessageThroughTheCatalogAndDeliversItToTheLiveFeed() {
		RecordingBroadcaster live = new RecordingBroadcaster("live");
		runner().withBean("live", LiveFeed.class, live::asLiveFeed).run((context) -> {
			Object output = lookup(context, "postMessage")
				.apply(json("{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"Hello \uD83D\uDE80\"}"));
			assertThat(output).isInstanceOf(ChatMessage.class);
			ChatMessage message = (ChatMessage) output;
			assertThat(message.room()).isEqualTo("general");
			assertThat(message.author()).isEqualTo("Ada");
			assertThat(message.text()).isEqualTo("Hello \uD83D\uDE80");
			assertThat(live.delivered()).containsExactly(message);
			MessageHistory history = (MessageHistory) lookup(context, "messageHistory")
				.apply(json("{\"room\":\"general\"}"));
			assertThat(history.messages()).containsExactly(message);
		});
	}

	@Test
	void answersJsonWithAnIsoCreatedAtWhenTheHostAcceptsJson() {
		runner().run((context) -> {
			FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class)
				.lookup("postMessage", "application/json");
			Object output = function
				.apply(json("{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"Hi\",\"clientMessageId\":\"c-1\"}"));
			assertThat(output).isInstanceOf(Message.class);
			byte[] payload = (byte[]) ((Message<?>) output).getPayload();
			String body = new String(payload, StandardCharsets.UTF_8);
			assertThat(body).containsPattern("\"createdAt\":\"\\d{4}-\\d{2}-\\d{2}T[^\"]+Z\"")
				.contains("\"text\":\"Hi\"")
				.doesNotContain("clientMessageId");
			ChatMessage message = context.getBean(JsonMapper.class).fromJson(payload, ChatMessage.class);
			assertThat(context.getBean(MessageStore.class).latest("general", null, 10)).containsExactly(message);
		});
	}

	@Test
	void answersARepeatedJsonPostWithTheFirstMessage() {
		RecordingBroadcaster recording = new RecordingBroadcaster("recording");
		runner().withBean("live", LiveFeed.class, recording::asLiveFeed).run((context) -> {
			String post = "{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"Hi\",\"clientMessageId\":\"c-1\"}";
			ChatMessage first = (ChatMessage) lookup(context, "postMessage").apply(json(post));
			ChatMessage again = (ChatMessage) lookup(context, "postMessage").apply(json(post));
			assertThat(again).isEqualTo(first);
			assertThat(recording.delivered()).containsExactly(first);
		});
	}

	@Test
	void rejectsAnInvalidJsonPostAndStoresNothing() {
		runner().run((context) -> {
			FunctionInvocationWrapper function = lookup(context, "postMessage");
			assertRejected(() -> function.apply(json("{\"room\":\"General\",\"author\":\"Ada\",\"text\":\"hi\"}")),
					Rejection.INVALID);
			assertRejected(() -> function.apply(json("{\"room\":\"general\",\"author\":\"Ada\"}")), Rejection.INVALID);
			assertRejected(
					() -> function
						.apply(json("{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"" + "a".repeat(4001) + "\"}")),
					Rejection.TOO_LARGE);
			assertThat(context.getBean(MessageStore.class).latest("general", null, 10)).isEmpty();
		});
	}

	@Test
	void broadcastsTheSampleStoredMessageEvent() {
		RecordingBroadcaster live = new RecordingBroadcaster("live");
		runner().withBean("live", LiveFeed.class, live::asLiveFeed).run((context) -> {
			Object output = lookup(context, "broadcastMessage").apply(json(sampleEvent("message-stored.json")));
			assertThat(output).isEqualTo(new BroadcastResult(SAMPLE.id(), List.of("live"), List.of()));
			assertThat(live.delivered()).containsExactly(SAMPLE);
		});
	}

	@Test
	void rejectsAStoredMessageEventWithoutAnIdOrWithABadRoom() {
		runner().run((context) -> {
			FunctionInvocationWrapper function = lookup(context, "broadcastMessage");
			assertRejected(() -> function.apply(json("{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"hi\","
					+ "\"createdAt\":\"2026-03-01T12:00:00Z\"}")), Rejection.INVALID);
			assertRejected(() -> function.apply(json("{\"id\":\"m-1\",\"room\":\"Not A Room\",\"author\":\"Ada\","
					+ "\"text\":\"hi\",\"createdAt\":\"2026-03-01T12:00:00Z\"}")), Rejection.INVALID);
		});
	}

	@Test
	void pagesHistoryWithJsonBeforeBeforeIdAndLimit() {
		runner().run((context) -> {
			MessageStore store = context.getBean(MessageStore.class);
			for (int i = 0; i < 5; i++) {
				store.save(new NewMessage("general", "Ada", "m" + i, null), "id-" + i,
						Instant.parse("2026-03-01T12:00:00Z").plusSeconds(i));
			}
			MessageHistory page = (MessageHistory) lookup(context, "messageHistory")
				.apply(json("{\"room\":\"general\",\"before\":\"2026-03-01T12:00:04Z\",\"limit\":2}"));
			assertThat(page.room()).isEqualTo("general");
			assertThat(page.messages()).extracting(ChatMessage::text).containsExactly("m2", "m3");
			MessageHistory fromMessage = (MessageHistory) lookup(context, "messageHistory").apply(json(
					"{\"room\":\"general\",\"before\":\"2026-03-01T12:00:04Z\",\"beforeId\":\"id-5\",\"limit\":2}"));
			assertThat(fromMessage.messages()).extracting(ChatMessage::text).containsExactly("m3", "m4");
			MessageHistory empty = (MessageHistory) lookup(context, "messageHistory")
				.apply(json("{\"room\":\"nobody-here\"}"));
			assertThat(empty.messages()).isEmpty();
			assertRejected(() -> lookup(context, "messageHistory").apply(json("{\"room\":\"general\",\"limit\":201}")),
					Rejection.INVALID);
			assertRejected(
					() -> lookup(context, "messageHistory").apply(json("{\"room\":\"general\",\"beforeId\":\"id-3\"}")),
					Rejection.INVALID);
		});
	}

	@Test
	void storesInMemoryWithoutADataSource() {
		runner().run((context) -> {
			assertThat(context).doesNotHaveBean(DataSource.class);
			assertThat(context).hasSingleBean(MessageStore.class);
			assertThat(context).getBean(MessageStore.class).isInstanceOf(InMemoryMessageStore.class);
		});
	}

	@Test
	void storesInTheHostsDatabaseWithADataSource() {
		databaseRunner().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(MessageStore.class);
			assertThat(context).getBean(MessageStore.class).isInstanceOf(JdbcMessageStore.class);
			ChatMessage message = (ChatMessage) lookup(context, "postMessage")
				.apply(json("{\"room\":\"general\",\"author\":\"Ada\",\"text\":\"Stored in H2\"}"));
			assertThat(JdbcClient.create(context.getBean(DataSource.class))
				.sql("SELECT id, body FROM chat_message")
				.query((row, rowNumber) -> row.getString("id") + " " + row.getString("body"))
				.list()).containsExactly(message.id() + " Stored in H2");
		});
		databaseRunner().run((context) -> {
			MessageHistory history = (MessageHistory) lookup(context, "messageHistory")
				.apply(new HistoryRequest("general"));
			assertThat(history.messages()).extracting(ChatMessage::text)
				.as("history after a restart")
				.containsExactly("Stored in H2");
		});
	}

	@Test
	void usesTheHostsMessageStore() {
		MessageStore hostStore = new InMemoryMessageStore();
		runner().withBean("hostStore", MessageStore.class, () -> hostStore).run((context) -> {
			assertThat(context).hasSingleBean(MessageStore.class);
			assertThat(context.getBean(MessageStore.class)).isSameAs(hostStore);
			lookup(context, "postMessage").apply(new PostMessage("general", "Ada", "Hi"));
			assertThat(hostStore.latest("general", null, 10)).hasSize(1);
		});
		databaseRunner().withBean("hostStore", MessageStore.class, () -> hostStore).run((context) -> {
			assertThat(context).hasSingleBean(MessageStore.class);
			assertThat(context.getBean(MessageStore.class)).isSameAs(hostStore);
		});
	}

	@Test
	void deliversToTheLiveFeedBeanFirstThenBroadcastsThroughEveryBroadcasterBean() {
		RecordingBroadcaster live = new RecordingBroadcaster("live");
		RecordingBroadcaster push = new RecordingBroadcaster("push");
		RecordingBroadcaster audit = new RecordingBroadcaster("audit");
		runner().withBean("push", Broadcaster.class, () -> push)
			.withBean("audit", Broadcaster.class, () -> audit)
			.withBean("live", LiveFeed.class, live::asLiveFeed)
			.run((context) -> {
				BroadcastResult result = (BroadcastResult) lookup(context, "broadcastMessage").apply(SAMPLE);
				assertThat(result.delivered()).containsExactly("live", "push", "audit");
				assertThat(live.delivered()).containsExactly(SAMPLE);
				assertThat(push.delivered()).containsExactly(SAMPLE);
				assertThat(audit.delivered()).containsExactly(SAMPLE);
			});
	}

	@Test
	void registersNoLiveFeedAndPostsAndBroadcastsWithoutOne() {
		RecordingBroadcaster push = new RecordingBroadcaster("push");
		runner().withBean("push", Broadcaster.class, () -> push).run((context) -> {
			assertThat(context).doesNotHaveBean(LiveFeed.class);
			ChatMessage message = (ChatMessage) lookup(context, "postMessage")
				.apply(new PostMessage("general", "Ada", "Hi"));
			assertThat(context.getBean(MessageStore.class).latest("general", null, 10)).containsExactly(message);
			BroadcastResult result = (BroadcastResult) lookup(context, "broadcastMessage").apply(SAMPLE);
			assertThat(result).isEqualTo(new BroadcastResult(SAMPLE.id(), List.of("push"), List.of()));
			assertThat(push.delivered()).containsExactly(message, SAMPLE);
		});
	}

	@Test
	void refusesToStartWithTwoLiveFeeds() {
		runner().withBean("one", LiveFeed.class, () -> (message) -> {
		}).withBean("other", LiveFeed.class, () -> (message) -> {
		})
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(NoUniqueBeanDefinitionException.class)
				.hasMessageContaining("one")
				.hasMessageContaining("other"));
	}

	@Test
	void honoursTheDefaultHistoryLimit() {
		runner().withPropertyValues("skyfold.chat.history.default-limit=2").run((context) -> {
			FunctionInvocationWrapper post = lookup(context, "postMessage");
			for (int i = 0; i < 3; i++) {
				post.apply(new PostMessage("general", "Ada", "m" + i));
			}
			MessageHistory history = (MessageHistory) lookup(context, "messageHistory")
				.apply(new HistoryRequest("general"));
			assertThat(history.messages()).extracting(ChatMessage::text).containsExactly("m1", "m2");
		});
	}

	@Test
	void refusesADefaultHistoryLimitOver200() {
		runner().withPropertyValues("skyfold.chat.history.default-limit=201")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalArgumentException.class)
				.hasMessageContaining("200"));
	}

	@Test
	void honoursTheBroadcastRetrySettings() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		runner().withBean("down", Broadcaster.class, () -> down)
			.withBean(MeterRegistry.class, SimpleMeterRegistry::new)
			.withPropertyValues("skyfold.chat.broadcast.max-retries=2", "skyfold.chat.broadcast.initial-delay=40ms",
					"skyfold.chat.broadcast.multiplier=3", "skyfold.chat.broadcast.max-delay=5s")
			.run((context) -> {
				ChatProperties.Broadcast settings = context.getBean(ChatProperties.class).getBroadcast();
				assertThat(settings.getMaxRetries()).isEqualTo(2);
				assertThat(settings.getInitialDelay()).isEqualTo(Duration.ofMillis(40));
				assertThat(settings.getMultiplier()).isEqualTo(3.0);
				assertThat(settings.getMaxDelay()).isEqualTo(Duration.ofSeconds(5));
				ChatMessage message = (ChatMessage) lookup(context, "postMessage")
					.apply(new PostMessage("general", "Ada", "Hi"));
				assertThat(context.getBean(MessageStore.class).latest("general", null, 10)).containsExactly(message);
				assertThat(down.attempts()).isEqualTo(3);
				// Lower bounds only: 40 ms, then 40 x 3 (the default multiplier would
				// wait 80).
				assertThat(down.waits().get(0)).isGreaterThanOrEqualTo(Duration.ofMillis(40));
				assertThat(down.waits().get(1)).isGreaterThanOrEqualTo(Duration.ofMillis(120));
				assertThat(context.getBean(MeterRegistry.class)
					.get(BroadcastService.FAILURES)
					.tags("broadcaster", "down", "transient", "true")
					.counter()
					.count()).isEqualTo(1.0);
			});
	}

	@Test
	void triesOnceWithoutRetries() {
		RecordingBroadcaster down = new RecordingBroadcaster("down").failingAlways(transientFailure());
		RecordingBroadcaster live = new RecordingBroadcaster("live");
		runner().withBean("down", Broadcaster.class, () -> down)
			.withBean("live", LiveFeed.class, live::asLiveFeed)
			.withPropertyValues("skyfold.chat.broadcast.max-retries=0")
			.run((context) -> {
				BroadcastResult result = (BroadcastResult) lookup(context, "broadcastMessage").apply(SAMPLE);
				assertThat(result.failed()).containsExactly("down");
				assertThat(result.delivered()).containsExactly("live");
				assertThat(down.attempts()).isEqualTo(1);
			});
	}

	@Test
	void retriesThreeTimesByDefault() {
		runner().run((context) -> {
			ChatProperties.Broadcast settings = context.getBean(ChatProperties.class).getBroadcast();
			assertThat(settings.getMaxRetries()).isEqualTo(3);
			assertThat(settings.getInitialDelay()).isEqualTo(Duration.ofMillis(100));
			assertThat(settings.getMultiplier()).isEqualTo(2.0);
			assertThat(settings.getMaxDelay()).isEqualTo(Duration.ofSeconds(2));
			assertThat(context.getBean(ChatProperties.class).getHistory().getDefaultLimit()).isEqualTo(50);
		});
	}

	private static void assertRejected(Runnable call, Rejection rejection) {
		assertThatExceptionOfType(RuntimeException.class).isThrownBy(call::run)
			.satisfies((ex) -> assertThat(RejectedInputException.findIn(ex)).as("rejection in %s", ex.toString())
				.isNotNull()
				.extracting(RejectedInputException::rejection)
				.isEqualTo(rejection));
	}

	private static byte[] sampleEvent(String name) throws IOException {
		try (InputStream in = FunctionCatalogContractTests.class.getResourceAsStream("/events/" + name)) {
			assertThat(in).as("events/%s", name).isNotNull();
			return in.readAllBytes();
		}
	}

	@Test
	void statesTheRoleEveryFunctionOfTheCatalogNeeds() {
		runner().withBean(RoomSubscriptions.class, RecordingRoomSubscriptions::new).run((context) -> {
			assertThat(context.getBean(FunctionCatalog.class).getNames(null))
				.contains(SubscribeToRoomFunction.NAME, UnsubscribeFromRoomFunction.NAME)
				.filteredOn((name) -> !name.equals(RoutingFunction.FUNCTION_NAME))
				.allSatisfy((name) -> assertThat(ChatOperation.ofFunction(name)).as(name).isPresent());
			assertThat(ChatOperation.ofFunction(MessageHistoryFunction.NAME)).contains(ChatOperation.READ_HISTORY);
			assertThat(ChatOperation.ofFunction(PostMessageFunction.NAME)).contains(ChatOperation.POST_MESSAGE);
			assertThat(ChatOperation.ofFunction(BroadcastMessageFunction.NAME))
				.contains(ChatOperation.BROADCAST_MESSAGE);
			assertThat(ChatOperation.BROADCAST_MESSAGE.requiredRole()).isEqualTo(Role.ADMIN);
			assertThat(ChatOperation.POST_MESSAGE.requiredRole()).isEqualTo(Role.MEMBER);
			assertThat(ChatOperation.READ_HISTORY.requiredRole()).isEqualTo(Role.VIEWER);
			assertThat(ChatOperation.ofFunction(SubscribeToRoomFunction.NAME))
				.contains(ChatOperation.SUBSCRIBE_TO_ROOM);
			assertThat(ChatOperation.ofFunction(UnsubscribeFromRoomFunction.NAME))
				.contains(ChatOperation.UNSUBSCRIBE_FROM_ROOM);
			assertThat(ChatOperation.SUBSCRIBE_TO_ROOM.requiredRole()).isEqualTo(Role.VIEWER);
			assertThat(ChatOperation.UNSUBSCRIBE_FROM_ROOM.requiredRole()).isEqualTo(Role.VIEWER);
			assertThat(ChatOperation.ofFunction("chatService")).isEmpty();
		});
	}

}
