package dev.skyfold.local.chat;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.chat.RelayOutbox.Relayed;
import io.lettuce.core.ClientOptions.DisconnectedBehavior;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.data.redis.autoconfigure.LettuceClientOptionsBuilderCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.data.redis.connection.Message;
import org.springframework.data.redis.connection.MessageListener;
import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.connection.SubscriptionListener;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.listener.ChannelTopic;
import org.springframework.data.redis.listener.RedisMessageListenerContainer;

/**
 * Scale-out ({@code skyfold.local.fanout=redis}): every instance's live feed ("redis")
 * hands each stored message to its own {@link RoomHub} at once and queues it in a
 * {@link RelayOutbox}, which publishes it on one Redis channel; every instance delivers
 * what the channel carries from the others into its own hub. So a message posted on one
 * instance reaches the live streams of all, and while Redis is down posts are still
 * answered at once and delivered on their own instance, then relayed once Redis is back.
 * An instance whose subscription was lost tells its streams to catch up from the history
 * once it is subscribed again, since what was published meanwhile never reached it.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(LiveFeedConfiguration.RedisFanout.class)
class RedisRelay {

	/** The channel every instance publishes to and listens on. */
	static final String CHANNEL = "skyfold:chat:messages";

	/** Margin for the clocks of instances, which stamp the messages they store. */
	private static final Duration CLOCK_MARGIN = Duration.ofSeconds(5);

	private static final Logger log = LoggerFactory.getLogger(RedisRelay.class);

	/** This instance's id in what it publishes. */
	private final String origin = UUID.randomUUID().toString();

	@Bean
	LettuceClientOptionsBuilderCustomizer failFastWhileDisconnected() {
		// Lettuce queues commands while it reconnects, and each waits its full timeout.
		return (options) -> options.disconnectedBehavior(DisconnectedBehavior.REJECT_COMMANDS);
	}

	@Bean
	RelayOutbox relayOutbox(StringRedisTemplate redis, JsonMapper json, LocalProperties properties,
			MeterRegistry meters) {
		return new RelayOutbox(this.origin, properties.relayBacklog(),
				(relayed) -> redis.convertAndSend(CHANNEL, json.writeValueAsString(relayed)), meters);
	}

	@Bean
	LiveFeed redisLiveFeed(RoomHub hub, RelayOutbox outbox) {
		return new NamedLiveFeed("redis", (message) -> {
			hub.deliver(message);
			outbox.add(message);
		});
	}

	@Bean
	RedisMessageListenerContainer redisRelayListener(RedisConnectionFactory connections, RoomHub hub, JsonMapper json) {
		RedisMessageListenerContainer container = new RedisMessageListenerContainer();
		container.setConnectionFactory(connections);
		// Subscribes again within a second of Redis coming back (5 s by default).
		container.setRecoveryInterval(1000);
		container.addMessageListener(new Receiver(this.origin, hub, json, Clock.systemUTC()),
				new ChannelTopic(CHANNEL));
		return container;
	}

	/**
	 * Delivers what other instances publish into this instance's hub, and has the hub's
	 * streams catch up when this instance may have missed some of it.
	 */
	static final class Receiver implements MessageListener, SubscriptionListener {

		private final String origin;

		private final RoomHub hub;

		private final JsonMapper json;

		private final Clock clock;

		private final AtomicBoolean subscribedBefore = new AtomicBoolean();

		/**
		 * When this instance last heard from the channel: nothing before it was missed.
		 */
		private final AtomicReference<@Nullable Instant> lastHeard = new AtomicReference<>();

		Receiver(String origin, RoomHub hub, JsonMapper json, Clock clock) {
			this.origin = origin;
			this.hub = hub;
			this.json = json;
			this.clock = clock;
		}

		@Override
		public void onMessage(Message message, byte @Nullable [] pattern) {
			this.lastHeard.set(this.clock.instant());
			Relayed relayed;
			try {
				relayed = this.json.readValue(message.getBody(), Relayed.class);
			}
			catch (JacksonException ex) {
				log.warn("Ignored a message on {} that is not a relayed chat message: {}", CHANNEL,
						ex.getOriginalMessage());
				return;
			}
			if (this.origin.equals(relayed.origin())) {
				return;
			}
			ChatMessage chat = relayed.message();
			if (chat != null) {
				this.hub.deliver(chat);
			}
			else if (relayed.resync() != null) {
				this.hub.missed(relayed.resync().minus(CLOCK_MARGIN));
			}
		}

		@Override
		public void onChannelSubscribed(byte[] channel, long count) {
			Instant now = this.clock.instant();
			Instant heard = this.lastHeard.getAndSet(now);
			if (this.subscribedBefore.getAndSet(true)) {
				// Subscribed again after losing the connection: others' messages of the
				// meantime never reached this instance.
				Instant since = ((heard != null) ? heard : now).minus(CLOCK_MARGIN);
				log.info("Subscribed to {} again: the live streams catch up from the history since {}", CHANNEL, since);
				this.hub.missed(since);
			}
		}

	}

}
