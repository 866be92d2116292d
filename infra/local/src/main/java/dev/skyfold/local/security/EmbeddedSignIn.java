package dev.skyfold.local.security;

import org.springframework.security.config.annotation.web.builders.HttpSecurity;

/**
 * How the pages sign a person in when the app is its own issuer: Spring Security's
 * sign-in form, checked against the configured users.
 */
@FunctionalInterface
interface EmbeddedSignIn {

	void configure(HttpSecurity http);

}
