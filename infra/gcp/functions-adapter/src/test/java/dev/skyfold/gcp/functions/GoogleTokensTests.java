package dev.skyfold.gcp.functions;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dev.skyfold.kernel.access.AccessRefusedException;
import dev.skyfold.testsupport.loopback.google.GoogleTokenIssuer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link GoogleTokens} against an issuer that publishes its keys on loopback,
 * as Firebase Authentication publishes its own.
 */
class GoogleTokensTests {

	private static GoogleTokenIssuer firebase;

	private static GoogleTokenIssuer stranger;

	private static GoogleTokens tokens;

	@BeforeAll
	static void startIssuers() {
		firebase = GoogleTokenIssuer.firebase("skyfold-test");
		stranger = GoogleTokenIssuer.start("https://accounts.example", "skyfold-test");
		GoogleTokenProperties.Issuer trusted = new GoogleTokenProperties.Issuer();
		trusted.setIssuer(firebase.issuer());
		trusted.setAudience(firebase.audience());
		trusted.setCertificates(firebase.certificatesUrl());
		tokens = new GoogleTokens(List.of(trusted));
	}

	@AfterAll
	static void stopIssuers() {
		firebase.close();
		stranger.close();
	}

	@Test
	void returnsTheClaimsOfAValidToken() {
		Map<String, Object> claims = tokens.claims("Bearer " + firebase.token("u-1", "Ada", "member"));
		assertThat(claims).containsEntry("sub", "u-1").containsEntry("name", "Ada");
		assertThat(claims.get("roles")).asList().containsExactly("member");
	}

	@Test
	void acceptsTheSchemeInAnyCase() {
		assertThat(tokens.claims("bearer " + firebase.token("u-1", "Ada"))).containsEntry("sub", "u-1");
	}

	@Test
	void refusesARequestWithoutAToken() {
		assertUnauthenticated(null, "Sign in first");
		assertUnauthenticated("Basic dXNlcjpwYXNz", "Sign in first");
	}

	@Test
	void refusesAForgedToken() {
		assertUnauthenticated("Bearer " + firebase.forged("u-1"), "not valid");
	}

	@Test
	void refusesAnExpiredToken() {
		assertUnauthenticated("Bearer " + firebase.expired("u-1"), "not valid");
	}

	@Test
	void refusesATokenForAnotherAudience() {
		Map<String, Object> claims = new HashMap<>(Map.of("iss", firebase.issuer(), "aud", "another-project", "sub",
				"u-1", "iat", now(), "exp", now() + 600));
		assertUnauthenticated("Bearer " + firebase.sign(claims), "not valid");
	}

	@Test
	void refusesATokenOfAnIssuerItDoesNotTrust() {
		assertUnauthenticated("Bearer " + stranger.token("u-1", "Eve", "admin"), "issuer is not trusted");
	}

	@Test
	void refusesATokenOfATrustedIssuerSignedWithAnotherKey() {
		try (GoogleTokenIssuer impostor = GoogleTokenIssuer.firebase("skyfold-test")) {
			assertUnauthenticated("Bearer " + impostor.token("u-1", "Eve", "admin"), "not valid");
		}
	}

	@Test
	void refusesSomethingThatIsNotAToken() {
		assertUnauthenticated("Bearer not-a-token", "issuer is not trusted");
	}

	@Test
	void trustsFirebaseAuthenticationOfTheProjectByDefault() {
		GoogleTokenProperties properties = new GoogleTokenProperties();
		assertThat(GoogleTokens.issuers(properties, "my-project")).singleElement().satisfies((issuer) -> {
			assertThat(issuer.getIssuer()).isEqualTo("https://securetoken.google.com/my-project");
			assertThat(issuer.getAudience()).isEqualTo("my-project");
			assertThat(issuer.getCertificates()).isEqualTo(GoogleTokenProperties.FIREBASE_CERTIFICATES);
		});
		assertThat(GoogleTokens.issuers(properties, null)).isEmpty();
		properties.setFirebaseProject("other");
		assertThat(GoogleTokens.issuers(properties, "my-project")).extracting(GoogleTokenProperties.Issuer::getAudience)
			.containsExactly("other");
	}

	private static long now() {
		return System.currentTimeMillis() / 1000;
	}

	private static void assertUnauthenticated(String authorization, String detail) {
		assertThatExceptionOfType(AccessRefusedException.class).isThrownBy(() -> tokens.claims(authorization))
			.satisfies((ex) -> {
				assertThat(ex.httpStatus()).isEqualTo(401);
				assertThat(ex.getMessage()).contains(detail);
			});
	}

}
