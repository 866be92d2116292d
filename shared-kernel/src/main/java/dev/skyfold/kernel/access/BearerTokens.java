package dev.skyfold.kernel.access;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Verifies the bearer token of a request on a host where no platform authorizer has done
 * so before the function runs (Google Cloud functions open to browsers), and gives its
 * claims to the one access rule.
 */
public interface BearerTokens {

	/**
	 * The verified claims of a request's bearer token.
	 * @param authorization the request's {@code Authorization} header
	 * @return the token's claims by name
	 * @throws AccessRefusedException (401) when there is no bearer token, or it does not
	 * verify
	 */
	Map<String, Object> claims(@Nullable String authorization);

}
