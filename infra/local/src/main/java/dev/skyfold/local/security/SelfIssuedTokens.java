package dev.skyfold.local.security;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.skyfold.kernel.access.Role;
import dev.skyfold.kernel.access.RoleClaims;

import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.JwsHeader;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtEncoderParameters;
import org.springframework.security.oauth2.jwt.NimbusJwtEncoder;

/**
 * Access tokens the embedded issuer signs for the app itself, for requests it sends to
 * its own API over loopback (the chat's warm-up): the same key, audience and role claim
 * as the tokens of its clients, so that they pass the same access rule. Only exists when
 * the app is its own issuer; an external issuer's tokens cannot be made here.
 */
public final class SelfIssuedTokens {

	private final NimbusJwtEncoder encoder;

	private final RoleClaims claims;

	/**
	 * Signs with the issuer's keys.
	 * @param keys the issuer's signing keys
	 * @param claims where the app reads roles from
	 */
	public SelfIssuedTokens(JWKSource<SecurityContext> keys, RoleClaims claims) {
		this.encoder = new NimbusJwtEncoder(keys);
		this.claims = claims;
	}

	/**
	 * Signs a token.
	 * @param subject whom the token names
	 * @param role the one role it grants, with those below it
	 * @param issuer the app's address as the request will reach it, which the app checks
	 * its own tokens against
	 * @param lifetime how long it is valid
	 * @return the encoded token
	 */
	public String issue(String subject, Role role, URI issuer, Duration lifetime) {
		Instant now = Instant.now();
		JwtClaimsSet.Builder token = JwtClaimsSet.builder()
			.issuer(issuer.toString())
			.subject(subject)
			.audience(List.of(EmbeddedIssuerConfiguration.AUDIENCE))
			.issuedAt(now)
			.expiresAt(now.plus(lifetime));
		EmbeddedIssuerConfiguration.putRoles(token, this.claims.claim(), List.of(role.id()));
		return this.encoder
			.encode(JwtEncoderParameters.from(JwsHeader.with(SignatureAlgorithm.RS256).build(), token.build()))
			.getTokenValue();
	}

}
