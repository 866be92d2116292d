package dev.skyfold.local.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.function.BiFunction;

import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.LocalProperties.Fanout;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.data.redis.connection.lettuce.LettuceConnectionFactory;

/**
 * Per-caller rate limits ({@code skyfold.security.rate-limits.*}, on by default): kept in
 * this instance, or in Redis when instances scale out
 * ({@code skyfold.local.fanout=redis}), so that all instances share one limit per caller.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(name = "skyfold.security.rate-limits.enabled", matchIfMissing = true)
class RateLimitConfiguration {

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(SecurityProperties security, LocalProperties local,
			ObjectProvider<LettuceConnectionFactory> redis, JsonMapper json, MeterRegistry meters,
			@Value("${spring.cloud.function.web.path:}") String functionsPath) {
		RateLimitFilter filter = new RateLimitFilter(security.rateLimits(),
				(local.fanout() == Fanout.REDIS) ? shared(redis) : RateLimitFilter.inProcess(), functionsPath, json,
				meters);
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
		// After security, which names the caller; before anything reads the body.
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 4);
		return registration;
	}

	private static BiFunction<String, BucketConfiguration, Bucket> shared(
			ObjectProvider<LettuceConnectionFactory> redis) {
		LettuceConnectionFactory factory = redis.getObject();
		return new BiFunction<>() {

			private volatile ProxyManager<byte[]> buckets;

			@Override
			public Bucket apply(String key, BucketConfiguration configuration) {
				return proxies().getProxy(key.getBytes(StandardCharsets.UTF_8), () -> configuration);
			}

			private ProxyManager<byte[]> proxies() {
				ProxyManager<byte[]> proxies = this.buckets;
				if (proxies == null) {
					// The connection factory makes its client when the context starts.
					proxies = Bucket4jLettuce.casBasedBuilder((RedisClient) factory.getNativeClient())
						.expirationAfterWrite(ExpirationAfterWriteStrategy
							.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
						.build();
					this.buckets = proxies;
				}
				return proxies;
			}

		};
	}

}
