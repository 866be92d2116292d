package dev.skyfold.chat.autoconfigure;

import java.time.Clock;
import javax.sql.DataSource;

import dev.skyfold.chat.adapter.inmemory.InMemoryMessageStore;
import dev.skyfold.chat.adapter.jdbc.JdbcMessageStore;
import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.application.MessageHistoryFunction;
import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.chat.application.RoomSubscriptionService;
import dev.skyfold.chat.application.SubscribeToRoomFunction;
import dev.skyfold.chat.application.UnsubscribeFromRoomFunction;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.RoomSubscriptions;
import dev.skyfold.kernel.access.RoleClaims;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.simple.JdbcClient;

/**
 * Registers the chat's services ({@link ChatService}, {@link BroadcastService}) and the
 * {@code postMessage}, {@code broadcastMessage} and {@code messageHistory} functions over
 * them in every host; a host whose functions take its own event shapes registers those
 * under the same names, over the same services. Messages are stored in the host's
 * database when it has one (JDBC), else in memory; they are delivered to the host's
 * {@link LiveFeed}, if it has one, then broadcast through every {@link Broadcaster} bean.
 * The core registers no live feed: a host with live subscribers brings its own. When the
 * host has a push channel's {@link RoomSubscriptions} (FCM's, when enabled), the
 * {@code subscribeToRoom} and {@code unsubscribeFromRoom} functions come too; without
 * one, neither exists.
 */
@AutoConfiguration(afterName = { "org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration",
		"org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration" })
@EnableConfigurationProperties(ChatProperties.class)
public final class ChatNotifierAutoConfiguration {

	/**
	 * How every host reads a caller's roles from its token: the claim
	 * {@code skyfold.security.roles-claim} ({@code roles} by default), else the claims
	 * identity providers use.
	 */
	@Bean
	@ConditionalOnMissingBean
	RoleClaims roleClaims(@Value("${skyfold.security.roles-claim:" + RoleClaims.DEFAULT_CLAIM + "}") String claim) {
		return new RoleClaims(claim);
	}

	@Bean
	@ConditionalOnMissingBean
	MessageStore messageStore() {
		return new InMemoryMessageStore();
	}

	@Bean
	@ConditionalOnMissingBean
	BroadcastService broadcastService(ObjectProvider<LiveFeed> liveFeed, ObjectProvider<Broadcaster> broadcasters,
			ChatProperties properties, ObjectProvider<MeterRegistry> meters) {
		ChatProperties.Broadcast retry = properties.getBroadcast();
		// At most one live feed: a second one fails here rather than being ignored.
		return new BroadcastService(liveFeed.getIfAvailable(), broadcasters.orderedStream().toList(),
				new BroadcastService.Backoff(retry.getMaxRetries(), retry.getInitialDelay(), retry.getMultiplier(),
						retry.getMaxDelay()),
				meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

	@Bean
	@ConditionalOnMissingBean
	ChatService chatService(MessageStore store, BroadcastService broadcasts, ChatProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		return new ChatService(store, broadcasts, properties.getHistory().getDefaultLimit(), Clock.systemUTC(),
				meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

	@Bean(PostMessageFunction.NAME)
	@ConditionalOnMissingBean(name = PostMessageFunction.NAME)
	PostMessageFunction postMessage(ChatService chat) {
		return new PostMessageFunction(chat);
	}

	@Bean(BroadcastMessageFunction.NAME)
	@ConditionalOnMissingBean(name = BroadcastMessageFunction.NAME)
	BroadcastMessageFunction broadcastMessage(BroadcastService broadcasts) {
		return new BroadcastMessageFunction(broadcasts);
	}

	@Bean(MessageHistoryFunction.NAME)
	@ConditionalOnMissingBean(name = MessageHistoryFunction.NAME)
	MessageHistoryFunction messageHistory(ChatService chat) {
		return new MessageHistoryFunction(chat);
	}

	/**
	 * The functions that subscribe devices to a room's push messages, when the host has a
	 * push channel whose {@link RoomSubscriptions} change them.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(RoomSubscriptions.class)
	static class RoomSubscriptionConfiguration {

		@Bean
		@ConditionalOnMissingBean
		RoomSubscriptionService roomSubscriptionService(RoomSubscriptions subscriptions) {
			return new RoomSubscriptionService(subscriptions);
		}

		@Bean(SubscribeToRoomFunction.NAME)
		@ConditionalOnMissingBean(name = SubscribeToRoomFunction.NAME)
		SubscribeToRoomFunction subscribeToRoom(RoomSubscriptionService subscriptions) {
			return new SubscribeToRoomFunction(subscriptions);
		}

		@Bean(UnsubscribeFromRoomFunction.NAME)
		@ConditionalOnMissingBean(name = UnsubscribeFromRoomFunction.NAME)
		UnsubscribeFromRoomFunction unsubscribeFromRoom(RoomSubscriptionService subscriptions) {
			return new UnsubscribeFromRoomFunction(subscriptions);
		}

	}

	/**
	 * The JDBC store, when the host has a database; registered before the in-memory
	 * fallback.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnBean(DataSource.class)
	static class JdbcStoreConfiguration {

		@Bean
		@ConditionalOnMissingBean
		MessageStore jdbcMessageStore(DataSource dataSource) {
			return new JdbcMessageStore(JdbcClient.create(dataSource));
		}

	}

}
