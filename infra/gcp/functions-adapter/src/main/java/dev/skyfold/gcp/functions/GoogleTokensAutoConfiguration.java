package dev.skyfold.gcp.functions;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Gives a Google Cloud function the verifier of its callers' tokens, for the issuers
 * {@code skyfold.gcp.auth.*} names (Firebase Authentication of
 * {@code GOOGLE_CLOUD_PROJECT} by default).
 */
@AutoConfiguration
@EnableConfigurationProperties(GoogleTokenProperties.class)
public final class GoogleTokensAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	GoogleTokens googleTokens(GoogleTokenProperties properties, Environment environment) {
		return new GoogleTokens(GoogleTokens.issuers(properties, environment.getProperty("GOOGLE_CLOUD_PROJECT")));
	}

}
