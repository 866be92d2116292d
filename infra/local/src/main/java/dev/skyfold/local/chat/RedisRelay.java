package dev.skyfold.local.chat;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.LiveFeed;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Scale-out ({@code skyfold.local.fanout=redis}): every instance's live feed ("redis")
 * publishes each stored message on one Redis channel, and every instance delivers what
 * the channel carries into its own {@link RoomHub}, so a message posted on one instance
 * reaches the live streams of all.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(LiveFeedConfiguration.RedisFanout.class)
class RedisRelay {

	/** The channel every instance publishes to and listens on. */
	static final String CHANNEL = "skyfold:chat:messages";

	private static final Logger log = LoggerFactory.getLogger(RedisRelay.class);

	@Bean
	LiveFeed redisLiveFeed(StringRedisTemplate redis, JsonMapper json) {
		return new NamedLiveFeed("redis", (message) -> {
			try {
				redis.convertAndSend(CHANNEL, json.writeValueAsString(message));
			}
			catch (RedisConnectionFailureException ex) {
				throw new BroadcastException("Redis is unreachable: " + ex.getMessage(), true, ex);
			}
		});
	}

	@Bean
	RedisMessageListenerContainer redisRelayListener(RedisConnectionFactory connections, RoomHub hub, JsonMapper json) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.addMessageListener((message, pattern) -> {
			try {
				hub.deliver(json.readValue(message.getBody(), ChatMessage.class));
			}
			catch (JacksonException ex) {
				log.warn("Ignored a message on {} that is not a chat message: {}", CHANNEL, ex.getOriginalMessage());
			}
		}, new ChannelTopic(CHANNEL));
		return container;
	}

}
