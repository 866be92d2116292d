package dev.skyfold.local.chat;

import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.LocalProperties.Fanout;

import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * The room hub that the live streams subscribe to, and the chat's live feed by
 * {@code skyfold.local.fanout}: by default one that hands each stored message to the hub
 * ("in-process"); with {@code redis}, the {@link RedisRelay}'s.
 */
@Configuration(proxyBeanMethods = false)
class LiveFeedConfiguration {

	/** Where the fan-out was set before the local app owned it. */
	static final String OLD_FANOUT = "skyfold.chat.fanout";

	LiveFeedConfiguration(Environment environment) {
		// Ignoring it would quietly turn a scale-out deployment into lone instances.
		String old = environment.getProperty(OLD_FANOUT);
		if (old != null) {
			throw new IllegalStateException(OLD_FANOUT + " (" + old + ") is no longer read: set skyfold.local.fanout="
					+ old + " instead, and remove " + OLD_FANOUT);
		}
	}

	@Bean
	RoomHub roomHub() {
		return new RoomHub();
	}

	@Bean
	@Conditional(InProcessFanout.class)
	LiveFeed inProcessLiveFeed(RoomHub hub) {
		return new NamedLiveFeed("in-process", hub::deliver);
	}

	/**
	 * Matches the fan-out that {@code skyfold.local.fanout} names, bound as the app binds
	 * {@link LocalProperties}, so that {@code in-process} and {@code IN_PROCESS} agree.
	 */
	abstract static class OnFanout extends SpringBootCondition {

		private final Fanout fanout;

		OnFanout(Fanout fanout) {
			this.fanout = fanout;
		}

		@Override
		public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
			Fanout chosen = Binder.get(context.getEnvironment())
				.bindOrCreate("skyfold.local", LocalProperties.class)
				.fanout();
			return new ConditionOutcome(chosen == this.fanout, "skyfold.local.fanout is " + chosen);
		}

	}

	/** Matches the default fan-out, to this instance's streams only. */
	static final class InProcessFanout extends OnFanout {

		InProcessFanout() {
			super(Fanout.IN_PROCESS);
		}

	}

	/** Matches the fan-out through Redis. */
	static final class RedisFanout extends OnFanout {

		RedisFanout() {
			super(Fanout.REDIS);
		}

	}

}
