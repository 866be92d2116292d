package dev.skyfold.local.security;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.LocalProperties.Fanout;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.github.bucket4j.distributed.ExpirationAfterWriteStrategy;
import io.github.bucket4j.distributed.proxy.ProxyManager;
import io.github.bucket4j.redis.lettuce.Bucket4jLettuce;
import io.lettuce.core.RedisClient;
import io.micrometer.core.instrument.MeterRegistry;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
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

	/** The circuit breaker of the shared buckets. */
	static final String BREAKER = "redis-rate-limits";

	/** How long a shared bucket may take to answer. */
	static final long REDIS_DEADLINE_MILLIS = 500;

	private static final Logger log = LoggerFactory.getLogger(RateLimitConfiguration.class);

	@Bean
	FilterRegistrationBean<RateLimitFilter> rateLimitFilter(SecurityProperties security, LocalProperties local,
			ObjectProvider<LettuceConnectionFactory> redis, ObjectProvider<CircuitBreakerFactory<?, ?>> breakers,
			JsonMapper json, MeterRegistry meters, @Value("${spring.cloud.function.web.path:}") String functionsPath) {
		RateLimitFilter filter = new RateLimitFilter(security.rateLimits(),
				(local.fanout() == Fanout.REDIS) ? shared(redis, breakers.getObject()) : RateLimitFilter.inProcess(),
				functionsPath, json, meters);
		FilterRegistrationBean<RateLimitFilter> registration = new FilterRegistrationBean<>(filter);
		// After security, which names the caller; before anything reads the body.
		registration.setOrder(Ordered.LOWEST_PRECEDENCE - 4);
		return registration;
	}

	/**
	 * Buckets in Redis, shared by every instance, behind the {@value #BREAKER} circuit
	 * breaker: while Redis cannot answer within {@value #REDIS_DEADLINE_MILLIS} ms, each
	 * instance limits on its own buckets rather than refuse or hold up every write.
	 */
	private static RateLimitFilter.Buckets shared(ObjectProvider<LettuceConnectionFactory> redis,
			CircuitBreakerFactory<?, ?> breakers) {
		LettuceConnectionFactory factory = redis.getObject();
		RateLimitFilter.Buckets fallback = RateLimitFilter.inProcess();
		CircuitBreaker breaker = breakers.create(BREAKER);
		AtomicBoolean degraded = new AtomicBoolean();
		return new RateLimitFilter.Buckets() {

			private volatile @Nullable ProxyManager<byte[]> buckets;

			@Override
			public ConsumptionProbe tryConsume(String key, BucketConfiguration configuration) {
				return breaker.run(() -> {
					ConsumptionProbe probe = proxies()
						.getProxy(key.getBytes(StandardCharsets.UTF_8), () -> configuration)
						.tryConsumeAndReturnRemaining(1);
					if (degraded.compareAndSet(true, false)) {
						log.info("Rate limits are shared through Redis again");
					}
					return probe;
				}, (failure) -> {
					if (degraded.compareAndSet(false, true)) {
						log.warn("Rate limits are kept per instance while Redis is unavailable: {}",
								failure.toString());
					}
					return fallback.tryConsume(key, configuration);
				});
			}

			private ProxyManager<byte[]> proxies() {
				ProxyManager<byte[]> proxies = this.buckets;
				if (proxies == null) {
					// The connection factory makes its client when the context starts.
					proxies = Bucket4jLettuce.casBasedBuilder((RedisClient) factory.getNativeClient())
						.expirationAfterWrite(ExpirationAfterWriteStrategy
							.basedOnTimeForRefillingBucketUpToMax(Duration.ofSeconds(10)))
						.requestTimeout(Duration.ofMillis(REDIS_DEADLINE_MILLIS))
						.build();
					this.buckets = proxies;
				}
				return proxies;
			}

		};
	}

}
