package dev.skyfold.local.chat;

import java.net.URI;
import java.time.Duration;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import dev.skyfold.kernel.access.Role;
import dev.skyfold.kernel.access.RoleClaims;
import dev.skyfold.local.security.SelfIssuedTokens;
import org.junit.jupiter.api.Test;

import org.springframework.context.support.StaticApplicationContext;
import org.springframework.mock.web.MockHttpServletRequest;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The warm-up's requests to its own server: sent only where the app has a port and can
 * sign the token, and told apart from every other request by their exact token.
 */
class LoopbackTrafficTests {

	@Test
	void isNotSentWithoutATokenThisAppCanSignOrWithoutAPort() throws Exception {
		SelfIssuedTokens tokens = new SelfIssuedTokens(
				new ImmutableJWKSet<>(new JWKSet(new RSAKeyGenerator(2048).keyID("test").generate())),
				new RoleClaims(RoleClaims.DEFAULT_CLAIM));
		StaticApplicationContext noServer = new StaticApplicationContext();

		assertThat(LoopbackTraffic.open(noServer, null, null, "/fn", "skyfold-warm-up")).as("external issuer").isNull();
		assertThat(LoopbackTraffic.open(noServer, null, tokens, "/fn", "skyfold-warm-up")).as("no web server").isNull();
	}

	@Test
	void knowsItsOwnRequestsByTheirToken() throws Exception {
		SelfIssuedTokens tokens = new SelfIssuedTokens(
				new ImmutableJWKSet<>(new JWKSet(new RSAKeyGenerator(2048).keyID("test").generate())),
				new RoleClaims(RoleClaims.DEFAULT_CLAIM));
		URI base = URI.create("http://127.0.0.1:8080");
		String token = tokens.issue("skyfold-warm-up", Role.VIEWER, base, Duration.ofMinutes(1));
		try (LoopbackTraffic traffic = new LoopbackTraffic(base, "/fn", token)) {
			assertThat(traffic.sent(request("Bearer " + token))).isTrue();
			assertThat(traffic.sent(request("Bearer " + token + "x"))).isFalse();
			assertThat(traffic.sent(request("Bearer other"))).isFalse();
			assertThat(traffic.sent(request(null))).isFalse();
		}
	}

	private static MockHttpServletRequest request(String authorization) {
		MockHttpServletRequest request = new MockHttpServletRequest("POST", "/fn/messageHistory");
		if (authorization != null) {
			request.addHeader("Authorization", authorization);
		}
		return request;
	}

}
