package dev.skyfold.local.chat;

import dev.skyfold.chat.adapter.inprocess.InProcessBroadcaster;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.Broadcaster;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.RedisConnectionFailureException;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Scale-out ({@code skyfold.chat.fanout=redis}): every instance publishes each stored
 * message on one Redis channel and delivers what the channel carries to its own live
 * streams, so a message posted on one instance reaches the subscribers of all.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "skyfold.chat.fanout", havingValue = "redis")
class RedisRelay {

	/** The channel every instance publishes to and listens on. */
	static final String CHANNEL = "skyfold:chat:messages";

	private static final Logger log = LoggerFactory.getLogger(RedisRelay.class);

	@Bean
	Broadcaster redisBroadcaster(StringRedisTemplate redis, JsonMapper json) {
		return new Broadcaster() {

			@Override
			public void broadcast(ChatMessage message) {
				try {
					redis.convertAndSend(CHANNEL, json.writeValueAsString(message));
				}
				catch (RedisConnectionFailureException ex) {
					throw new BroadcastException("Redis is unreachable: " + ex.getMessage(), true, ex);
				}
			}

			@Override
			public String name() {
				return "redis";
			}

		};
	}

	@Bean
	RedisMessageListenerContainer redisRelayListener(RedisConnectionFactory connections, InProcessBroadcaster listeners,
			JsonMapper json) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		container.addMessageListener((message, pattern) -> {
			try {
				listeners.broadcast(json.readValue(message.getBody(), ChatMessage.class));
			}
			catch (JacksonException ex) {
				log.warn("Ignored a message on {} that is not a chat message: {}", CHANNEL, ex.getOriginalMessage());
			}
		}, new ChannelTopic(CHANNEL));
		return container;
	}

}
