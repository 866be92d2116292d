package dev.skyfold.local;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * Runs every Skyfold function on one local web server, with an embedded bucket and a
 * browser UI: {@code POST /fn/{name}} invokes a function, {@code /objects} is the bucket
 * and {@code /} the UI.
 */
// Skyfold wires its embedded issuer itself, and only when no external one is configured.
@SpringBootApplication(excludeName = {
		"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerAutoConfiguration",
		"org.springframework.boot.security.oauth2.server.authorization.autoconfigure.servlet.OAuth2AuthorizationServerJwtAutoConfiguration" })
@ConfigurationPropertiesScan
// The reconcile's schedule (skyfold.local.reconcile-cron).
@EnableScheduling
public class SkyfoldLocalApplication {

	public static void main(String[] args) {
		SpringApplication.run(SkyfoldLocalApplication.class, args);
	}

}
