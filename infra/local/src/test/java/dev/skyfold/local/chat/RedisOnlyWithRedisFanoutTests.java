package dev.skyfold.local.chat;

import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurationMetadata;
import org.springframework.boot.data.redis.autoconfigure.DataRedisAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.netty.autoconfigure.NettyAutoConfiguration;
import org.springframework.mock.env.MockEnvironment;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.Mockito.mock;

/**
 * Boot's Redis auto-configuration only where the fan-out goes through Redis; the whole
 * app with Redis is {@code ScaleOutIntegrationTests}.
 */
class RedisOnlyWithRedisFanoutTests {

	private static final String[] CANDIDATES = { DataRedisAutoConfiguration.class.getName(),
			NettyAutoConfiguration.class.getName(), DataSourceAutoConfiguration.class.getName(), null };

	@Test
	void leavesRedisOutWithTheDefaultFanout() {
		assertThat(matches(new MockEnvironment())).containsExactly(false, false, true, true);
		assertThat(matches(new MockEnvironment().withProperty("skyfold.local.fanout", "in-process")))
			.containsExactly(false, false, true, true);
	}

	@Test
	void keepsRedisWithTheRedisFanout() {
		assertThat(matches(new MockEnvironment().withProperty("skyfold.local.fanout", "REDIS"))).containsExactly(true,
				true, true, true);
	}

	private static boolean[] matches(MockEnvironment environment) {
		RedisOnlyWithRedisFanout filter = new RedisOnlyWithRedisFanout();
		filter.setEnvironment(environment);
		return filter.match(CANDIDATES.clone(), mock(AutoConfigurationMetadata.class));
	}

}
