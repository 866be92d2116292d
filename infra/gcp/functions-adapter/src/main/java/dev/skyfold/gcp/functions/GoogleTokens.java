package dev.skyfold.gcp.functions;

import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

import com.google.api.client.json.gson.GsonFactory;
import com.google.api.client.json.webtoken.JsonWebSignature;
import com.google.api.client.json.webtoken.JsonWebToken;
import com.google.auth.oauth2.TokenVerifier;
import com.google.auth.oauth2.TokenVerifier.VerificationException;
import dev.skyfold.kernel.access.AccessRefusedException;
import dev.skyfold.kernel.access.BearerTokens;
import org.jspecify.annotations.Nullable;

/**
 * Verifies the bearer token of a request to a Google Cloud HTTP function: its signature
 * against the issuer's published keys, its issuer, audience and lifetime. Cloud Functions
 * can leave a function open to the internet ({@code --allow-unauthenticated}) so that
 * browsers with Firebase Authentication can call it; the function itself then decides who
 * the caller is, with the same rule as every host.
 */
public class GoogleTokens implements BearerTokens {

	private static final String BEARER = "bearer ";

	private final Map<String, TokenVerifier> verifiers;

	/**
	 * Creates the verifier of the issuers configured.
	 * @param issuers the accepted issuers, by {@code iss}
	 */
	public GoogleTokens(List<GoogleTokenProperties.Issuer> issuers) {
		Map<String, TokenVerifier> byIssuer = new LinkedHashMap<>();
		for (GoogleTokenProperties.Issuer issuer : issuers) {
			byIssuer.put(issuer.getIssuer(),
					TokenVerifier.newBuilder()
						.setIssuer(issuer.getIssuer())
						.setAudience(issuer.getAudience())
						.setCertificatesLocation(issuer.getCertificates())
						.build());
		}
		this.verifiers = Map.copyOf(byIssuer);
	}

	/**
	 * The issuers a function accepts, from its settings.
	 * @param properties the settings
	 * @param project the project the function runs in, when known
	 * @return the issuers: Firebase Authentication of the project, then the others
	 */
	public static List<GoogleTokenProperties.Issuer> issuers(GoogleTokenProperties properties,
			@Nullable String project) {
		List<GoogleTokenProperties.Issuer> issuers = new ArrayList<>();
		String firebase = Optional.ofNullable(properties.getFirebaseProject()).orElse(project);
		if (firebase != null && !firebase.isBlank()) {
			GoogleTokenProperties.Issuer issuer = new GoogleTokenProperties.Issuer();
			issuer.setIssuer("https://securetoken.google.com/" + firebase);
			issuer.setAudience(firebase);
			issuer.setCertificates(GoogleTokenProperties.FIREBASE_CERTIFICATES);
			issuers.add(issuer);
		}
		issuers.addAll(properties.getIssuers());
		return issuers;
	}

	@Override
	public Map<String, Object> claims(@Nullable String authorization) {
		if (authorization == null || !authorization.toLowerCase(Locale.ROOT).startsWith(BEARER)) {
			throw AccessRefusedException
				.unauthenticated("Sign in first: send a Google-signed ID token as a bearer token");
		}
		String token = authorization.substring(BEARER.length()).strip();
		String issuer = issuer(token);
		TokenVerifier verifier = (issuer != null) ? this.verifiers.get(issuer) : null;
		if (verifier == null) {
			throw AccessRefusedException.unauthenticated("The bearer token is not valid: its issuer is not trusted");
		}
		try {
			JsonWebSignature verified = verifier.verify(token);
			return new LinkedHashMap<>(verified.getPayload());
		}
		catch (VerificationException ex) {
			throw AccessRefusedException.unauthenticated("The bearer token is not valid: " + ex.getMessage());
		}
	}

	private static @Nullable String issuer(String token) {
		try {
			JsonWebToken.Payload payload = JsonWebSignature.parse(GsonFactory.getDefaultInstance(), token).getPayload();
			return payload.getIssuer();
		}
		catch (IOException | IllegalArgumentException ex) {
			return null;
		}
	}

}
