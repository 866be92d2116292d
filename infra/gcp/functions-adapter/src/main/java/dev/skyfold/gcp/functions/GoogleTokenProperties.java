package dev.skyfold.gcp.functions;

import java.util.ArrayList;
import java.util.List;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Which tokens a Google Cloud HTTP function accepts ({@code skyfold.gcp.auth.*}): by
 * default, Firebase Authentication ID tokens of the function's own project, whose custom
 * claims carry the caller's roles.
 */
@ConfigurationProperties("skyfold.gcp.auth")
public class GoogleTokenProperties {

	/** Where Firebase Authentication publishes the keys its ID tokens are signed with. */
	public static final String FIREBASE_CERTIFICATES = "https://www.googleapis.com/robot/v1/metadata/x509/securetoken@system.gserviceaccount.com";

	/** Where Google publishes the keys its OpenID Connect ID tokens are signed with. */
	public static final String GOOGLE_CERTIFICATES = "https://www.googleapis.com/oauth2/v3/certs";

	/**
	 * The Google Cloud project whose Firebase Authentication ID tokens are accepted
	 * (issuer {@code https://securetoken.google.com/<project>}, audience
	 * {@code <project>}); empty for none. Defaults to the project the function runs in.
	 */
	private @Nullable String firebaseProject;

	/**
	 * Further issuers whose tokens are accepted, such as Google's own ID tokens
	 * ({@code https://accounts.google.com}, audience the function's URL, keys at
	 * {@value #GOOGLE_CERTIFICATES}) for service-to-service calls.
	 */
	private List<Issuer> issuers = new ArrayList<>();

	public @Nullable String getFirebaseProject() {
		return this.firebaseProject;
	}

	public void setFirebaseProject(@Nullable String firebaseProject) {
		this.firebaseProject = firebaseProject;
	}

	public List<Issuer> getIssuers() {
		return this.issuers;
	}

	public void setIssuers(List<Issuer> issuers) {
		this.issuers = issuers;
	}

	/**
	 * One issuer whose tokens are accepted.
	 */
	public static class Issuer {

		/** The token's {@code iss}, exactly. */
		private String issuer = "";

		/** The token's {@code aud} this function accepts. */
		private String audience = "";

		/**
		 * Where the issuer's public keys are published (a JWK set or X.509 certificates
		 * by key id).
		 */
		private String certificates = GOOGLE_CERTIFICATES;

		public String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(String issuer) {
			this.issuer = issuer;
		}

		public String getAudience() {
			return this.audience;
		}

		public void setAudience(String audience) {
			this.audience = audience;
		}

		public String getCertificates() {
			return this.certificates;
		}

		public void setCertificates(String certificates) {
			this.certificates = certificates;
		}

	}

}
