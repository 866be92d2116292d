package dev.skyfold.testsupport.loopback.google;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import com.sun.net.httpserver.HttpServer;
import tools.jackson.databind.json.JsonMapper;

/**
 * Issues ID tokens as Firebase Authentication (or Google's OpenID Connect issuer) does:
 * RS256 JWTs whose keys it publishes as a JWK set at {@link #certificatesUrl()} on
 * {@code 127.0.0.1}, so that a function's token verifier can be pointed at it instead of
 * Google's key URL. It also makes tokens that must be refused: forged, expired, or for
 * another audience.
 */
public final class GoogleTokenIssuer implements AutoCloseable {

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final Base64.Encoder BASE64URL = Base64.getUrlEncoder().withoutPadding();

	private final HttpServer server;

	private final KeyPair keys;

	private final String keyId = UUID.randomUUID().toString();

	private final String issuer;

	private final String audience;

	private GoogleTokenIssuer(HttpServer server, KeyPair keys, String issuer, String audience) {
		this.server = server;
		this.keys = keys;
		this.issuer = issuer;
		this.audience = audience;
	}

	/**
	 * Starts the issuer of a Firebase project's ID tokens.
	 * @param project the project: the audience, and the issuer
	 * {@code https://securetoken.google.com/<project>}
	 * @return the running issuer
	 */
	public static GoogleTokenIssuer firebase(String project) {
		return start("https://securetoken.google.com/" + project, project);
	}

	/**
	 * Starts an issuer.
	 * @param issuer the tokens' {@code iss}
	 * @param audience the tokens' {@code aud}
	 * @return the running issuer
	 */
	public static GoogleTokenIssuer start(String issuer, String audience) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
			GoogleTokenIssuer tokens = new GoogleTokenIssuer(server, generator.generateKeyPair(), issuer, audience);
			server.createContext("/certs", (exchange) -> {
				byte[] body = tokens.keySet().getBytes(StandardCharsets.UTF_8);
				exchange.getResponseHeaders().set("Content-Type", "application/json");
				exchange.getResponseHeaders().set("Cache-Control", "public, max-age=3600");
				exchange.sendResponseHeaders(200, body.length);
				try (OutputStream out = exchange.getResponseBody()) {
					out.write(body);
				}
			});
			server.start();
			return tokens;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Where the issuer's public keys are.
	 * @return the URL of its JWK set
	 */
	public String certificatesUrl() {
		return "http://127.0.0.1:" + this.server.getAddress().getPort() + "/certs";
	}

	/**
	 * The tokens' issuer.
	 * @return the {@code iss}
	 */
	public String issuer() {
		return this.issuer;
	}

	/**
	 * The tokens' audience.
	 * @return the {@code aud}
	 */
	public String audience() {
		return this.audience;
	}

	/**
	 * A valid token for a user, valid for an hour, as Firebase Authentication issues it
	 * for a user with custom claims.
	 * @param subject the user's id
	 * @param name the user's display name
	 * @param roles the user's roles (the {@code roles} custom claim); none for no claim
	 * @return the signed token
	 */
	public String token(String subject, String name, String... roles) {
		Map<String, Object> claims = claims(subject, Instant.now().plus(Duration.ofHours(1)));
		claims.put("name", name);
		if (roles.length > 0) {
			claims.put("roles", List.of(roles));
		}
		return sign(claims);
	}

	/**
	 * A token whose signature does not match its content: a valid token with one
	 * character of its signature changed.
	 * @param subject the user's id
	 * @return the forged token
	 */
	public String forged(String subject) {
		String token = token(subject, subject, "admin");
		int last = token.length() - 2;
		char changed = (token.charAt(last) == 'A') ? 'B' : 'A';
		return token.substring(0, last) + changed + token.charAt(last + 1);
	}

	/**
	 * A token that expired an hour ago.
	 * @param subject the user's id
	 * @return the expired token
	 */
	public String expired(String subject) {
		Map<String, Object> claims = claims(subject, Instant.now().minus(Duration.ofHours(1)));
		claims.put("roles", List.of("admin"));
		return sign(claims);
	}

	/**
	 * Signs any claims with the issuer's key, for tests that need odd tokens.
	 * @param claims the claims
	 * @return the signed token
	 */
	public String sign(Map<String, Object> claims) {
		String header = BASE64URL
			.encodeToString(json.writeValueAsBytes(Map.of("alg", "RS256", "kid", this.keyId, "typ", "JWT")));
		String payload = BASE64URL.encodeToString(json.writeValueAsBytes(claims));
		String signingInput = header + "." + payload;
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initSign(this.keys.getPrivate());
			signature.update(signingInput.getBytes(StandardCharsets.US_ASCII));
			return signingInput + "." + BASE64URL.encodeToString(signature.sign());
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private Map<String, Object> claims(String subject, Instant expires) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", this.issuer);
		claims.put("aud", this.audience);
		claims.put("sub", subject);
		claims.put("user_id", subject);
		claims.put("iat", expires.minus(Duration.ofHours(1)).getEpochSecond());
		claims.put("exp", expires.getEpochSecond());
		claims.put("auth_time", expires.minus(Duration.ofHours(1)).getEpochSecond());
		return claims;
	}

	private String keySet() {
		RSAPublicKey key = (RSAPublicKey) this.keys.getPublic();
		Map<String, Object> jwk = Map.of("kty", "RSA", "alg", "RS256", "use", "sig", "kid", this.keyId, "n",
				unsigned(key.getModulus()), "e", unsigned(key.getPublicExponent()));
		return json.writeValueAsString(Map.of("keys", List.of(jwk)));
	}

	private static String unsigned(BigInteger value) {
		byte[] bytes = value.toByteArray();
		int start = (bytes.length > 1 && bytes[0] == 0) ? 1 : 0;
		return BASE64URL.encodeToString(Arrays.copyOfRange(bytes, start, bytes.length));
	}

	@Override
	public void close() {
		this.server.stop(0);
	}

}
