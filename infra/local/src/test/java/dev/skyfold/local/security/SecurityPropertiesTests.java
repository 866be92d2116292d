package dev.skyfold.local.security;

import java.time.Duration;

import dev.skyfold.kernel.access.Role;
import org.junit.jupiter.api.Test;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

class SecurityPropertiesTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withUserConfiguration(Enabled.class);

	@Test
	void hasSafeDefaultsWhenNothingIsConfigured() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			SecurityProperties properties = context.getBean(SecurityProperties.class);
			assertThat(properties.users()).isEmpty();
			assertThat(properties.clients()).isEmpty();
			assertThat(properties.corsAllowedOrigins()).isEmpty();
			assertThat(properties.tokenLifetime()).isEqualTo(Duration.ofMinutes(15));
			assertThat(properties.rateLimits().enabled()).isTrue();
			assertThat(properties.rateLimits().posts()).isEqualTo(new SecurityProperties.Limit(5, 20));
			assertThat(properties.rateLimits().uploads()).isEqualTo(new SecurityProperties.Limit(2, 10));
		});
	}

	@Test
	void bindsUsersClientsAndLimitsAndHidesSecretsFromToString() {
		this.runner
			.withPropertyValues("skyfold.security.users.ada.password={noop}pw",
					"skyfold.security.users.ada.roles=Member", "skyfold.security.clients.cli.secret={noop}s3cret",
					"skyfold.security.clients.cli.roles=viewer,admin",
					"skyfold.security.rate-limits.posts.per-second=1", "skyfold.security.rate-limits.posts.burst=3")
			.run((context) -> {
				SecurityProperties properties = context.getBean(SecurityProperties.class);
				assertThat(properties.users().get("ada").roles()).containsExactly(Role.MEMBER);
				assertThat(properties.clients().get("cli").roles()).containsExactlyInAnyOrder(Role.VIEWER, Role.ADMIN);
				assertThat(properties.rateLimits().posts()).isEqualTo(new SecurityProperties.Limit(1, 3));
				assertThat(properties.rateLimits().thumbnails()).isEqualTo(new SecurityProperties.Limit(2, 10));
				assertThat(properties.toString()).doesNotContain("pw").doesNotContain("s3cret");
			});
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(SecurityProperties.class)
	static class Enabled {

	}

}
