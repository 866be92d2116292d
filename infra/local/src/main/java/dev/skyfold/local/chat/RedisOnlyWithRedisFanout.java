package dev.skyfold.local.chat;

import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.LocalProperties.Fanout;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.AutoConfigurationImportFilter;
import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.env.Environment;

/**
 * Leaves Spring Boot's Redis auto-configuration out unless the live fan-out goes through
 * Redis ({@code skyfold.local.fanout=redis}), the only use the local app makes of Redis
 * (the shared rate limits follow it). Otherwise every instance would build a Redis client
 * it never uses, with its Netty event loops and Reactor: about 1,400 classes and 20 MB of
 * resident memory at every start.
 */
public class RedisOnlyWithRedisFanout implements AutoConfigurationImportFilter, EnvironmentAware {

	private static final String[] REDIS_PACKAGES = { "org.springframework.boot.data.redis.autoconfigure.",
			"org.springframework.boot.netty.autoconfigure." };

	private @Nullable Environment environment;

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public boolean[] match(@Nullable String[] autoConfigurationClasses,
			AutoConfigurationMetadata autoConfigurationMetadata) {
		boolean redis = this.environment == null || Binder.get(this.environment)
			.bindOrCreate("skyfold.local", LocalProperties.class)
			.fanout() == Fanout.REDIS;
		boolean[] matches = new boolean[autoConfigurationClasses.length];
		for (int i = 0; i < matches.length; i++) {
			String name = autoConfigurationClasses[i];
			matches[i] = redis || name == null || !isRedis(name);
		}
		return matches;
	}

	private static boolean isRedis(String autoConfiguration) {
		for (String redisPackage : REDIS_PACKAGES) {
			if (autoConfiguration.startsWith(redisPackage)) {
				return true;
			}
		}
		return false;
	}

}
