package dev.skyfold.local.chat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.LiveFeed;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local app's live feed by {@code skyfold.local.fanout}: into this instance's room
 * hub by default, left to the Redis relay with {@code redis} (which
 * {@code ScaleOutIntegrationTests} runs against a real Redis), and no start at all while
 * the old {@code skyfold.chat.fanout} is set.
 */
class LiveFeedConfigurationTests {

	private static final ChatMessage MESSAGE = new ChatMessage("m-1", "general", "Ada", "Hello",
			Instant.parse("2026-03-01T12:00:00Z"));

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withUserConfiguration(LiveFeedConfiguration.class);

	@Test
	void deliversIntoThisInstancesRoomHubByDefault() {
		this.runner.withUserConfiguration(RedisRelay.class).run((context) -> {
			assertThat(context).hasNotFailed()
				.hasSingleBean(LiveFeed.class)
				.hasSingleBean(RoomHub.class)
				.doesNotHaveBean(RedisMessageListenerContainer.class);
			LiveFeed feed = context.getBean(LiveFeed.class);
			assertThat(feed.name()).isEqualTo("in-process");
			List<ChatMessage> received = new CopyOnWriteArrayList<>();
			context.getBean(RoomHub.class).subscribe("general", received::add);
			feed.deliver(MESSAGE);
			assertThat(received).containsExactly(MESSAGE);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "in-process", "IN_PROCESS", "In-Process" })
	void readsTheInProcessFanoutAsTheAppBindsIt(String fanout) {
		this.runner.withPropertyValues("skyfold.local.fanout=" + fanout)
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(LiveFeed.class)
				.extracting(LiveFeed::name)
				.isEqualTo("in-process"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "REDIS" })
	void leavesTheLiveFeedToTheRedisRelayWithRedisFanout(String fanout) {
		this.runner.withPropertyValues("skyfold.local.fanout=" + fanout)
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(RoomHub.class)
				.doesNotHaveBean(LiveFeed.class));
	}

	@ParameterizedTest
	@ValueSource(strings = { "redis", "in-process" })
	void refusesToStartWhileTheOldFanoutKeyIsSet(String fanout) {
		this.runner.withPropertyValues("skyfold.chat.fanout=" + fanout)
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.isInstanceOf(IllegalStateException.class)
				.hasMessageContaining("skyfold.chat.fanout")
				.hasMessageContaining("set skyfold.local.fanout=" + fanout + " instead"));
	}

	@Test
	void refusesAnUnknownFanout() {
		this.runner.withPropertyValues("skyfold.local.fanout=kafka")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.hasStackTraceContaining("skyfold.local.fanout"));
	}

}
