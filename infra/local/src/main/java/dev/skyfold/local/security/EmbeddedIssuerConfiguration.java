package dev.skyfold.local.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import dev.skyfold.kernel.access.Role;
import dev.skyfold.kernel.access.RoleClaims;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.security.SecurityProperties.Account;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.NoneNestedConditions;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.ConfigurationCondition;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.oauth2.core.AuthorizationGrantType;
import org.springframework.security.oauth2.core.ClientAuthenticationMethod;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2ErrorCodes;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtClaimNames;
import org.springframework.security.oauth2.jwt.JwtClaimValidator;
import org.springframework.security.oauth2.jwt.JwtClaimsSet;
import org.springframework.security.oauth2.jwt.JwtDecoder;
import org.springframework.security.oauth2.jwt.JwtValidators;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.security.oauth2.server.authorization.OAuth2TokenType;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClient;
import org.springframework.security.oauth2.server.authorization.client.RegisteredClientRepository;
import org.springframework.security.oauth2.server.authorization.settings.AuthorizationServerSettings;
import org.springframework.security.oauth2.server.authorization.settings.TokenSettings;
import org.springframework.security.oauth2.server.authorization.token.JwtEncodingContext;
import org.springframework.security.oauth2.server.authorization.token.OAuth2TokenCustomizer;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

/**
 * The app as its own OpenID Connect issuer, when no other is configured
 * ({@code spring.security.oauth2.resourceserver.jwt.issuer-uri} or {@code jwk-set-uri}):
 * Spring Authorization Server signs tokens for the configured clients (client-credentials
 * grant at {@code /oauth2/token}), with their roles in the roles claim, and the pages
 * sign the configured users in with a form. With no user configured, the first start
 * makes an {@code admin} with a generated password, printed once; only its hash is kept.
 */
@Configuration(proxyBeanMethods = false)
@Conditional(EmbeddedIssuerConfiguration.NoExternalIssuer.class)
class EmbeddedIssuerConfiguration {

	private static final Logger log = LoggerFactory.getLogger(EmbeddedIssuerConfiguration.class);

	static final String GENERATED_ADMIN = "admin";

	/** The audience of this issuer's tokens: this app's API. */
	static final String AUDIENCE = "skyfold-local";

	@Bean
	@Order(1)
	SecurityFilterChain issuerEndpoints(HttpSecurity http) throws Exception {
		http.oauth2AuthorizationServer((issuer) -> {
			http.securityMatcher(issuer.getEndpointsMatcher());
			issuer.oidc(Customizer.withDefaults());
		});
		http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated());
		return http.build();
	}

	@Bean
	EmbeddedSignIn formSignIn() {
		return (http) -> http.formLogin(Customizer.withDefaults());
	}

	@Bean
	JWKSource<SecurityContext> issuerKeys(LocalProperties local) {
		return new ImmutableJWKSet<>(new JWKSet(new IssuerFiles(local.data()).signingKey()));
	}

	/**
	 * Trusts the tokens this issuer signed for this app, while they are valid, and none
	 * other.
	 */
	@Bean
	JwtDecoder issuerTokens(JWKSource<SecurityContext> keys) {
		NimbusJwtDecoder decoder = NimbusJwtDecoder.withJwkSource(keys).build();
		decoder.setJwtValidator(JwtValidators.createDefaultWithValidators(
				new JwtClaimValidator<List<String>>(JwtClaimNames.AUD,
						(audience) -> audience != null && audience.contains(AUDIENCE)),
				EmbeddedIssuerConfiguration::issuedHere));
		return decoder;
	}

	/**
	 * Whether this server issued a token: the issuer names it as Spring Authorization
	 * Server does, by the address the request came to.
	 */
	private static OAuth2TokenValidatorResult issuedHere(Jwt token) {
		String here = ServletUriComponentsBuilder.fromCurrentContextPath().build().toUriString();
		if (token.getIssuer() != null && here.equals(token.getIssuer().toString())) {
			return OAuth2TokenValidatorResult.success();
		}
		return OAuth2TokenValidatorResult.failure(new OAuth2Error(OAuth2ErrorCodes.INVALID_TOKEN,
				"The token was issued by " + token.getIssuer() + ", not by this server (" + here + ")", null));
	}

	@Bean
	SelfIssuedTokens selfIssuedTokens(JWKSource<SecurityContext> keys, RoleClaims claims) {
		return new SelfIssuedTokens(keys, claims);
	}

	@Bean
	AuthorizationServerSettings issuerSettings() {
		return AuthorizationServerSettings.builder().build();
	}

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	RegisteredClientRepository issuerClients(SecurityProperties properties) {
		TokenSettings tokens = TokenSettings.builder().accessTokenTimeToLive(properties.tokenLifetime()).build();
		Map<String, RegisteredClient> clients = new ConcurrentHashMap<>();
		properties.clients()
			.forEach((id, client) -> clients.put(id,
					RegisteredClient.withId(id)
						.clientId(id)
						.clientSecret(client.secret())
						.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_BASIC)
						.clientAuthenticationMethod(ClientAuthenticationMethod.CLIENT_SECRET_POST)
						.authorizationGrantType(AuthorizationGrantType.CLIENT_CREDENTIALS)
						.tokenSettings(tokens)
						.build()));
		return new RegisteredClientRepository() {

			@Override
			public void save(RegisteredClient client) {
				// Only the issuer saves (a secret it encodes anew), until a restart.
				clients.put(client.getId(), client);
			}

			@Override
			public @Nullable RegisteredClient findById(String id) {
				return clients.get(id);
			}

			@Override
			public @Nullable RegisteredClient findByClientId(String clientId) {
				return clients.get(clientId);
			}

		};
	}

	/** Puts the client's roles into its access token, under the claim the app reads. */
	@Bean
	OAuth2TokenCustomizer<JwtEncodingContext> rolesInTokens(SecurityProperties properties, RoleClaims claims) {
		return (context) -> {
			if (!OAuth2TokenType.ACCESS_TOKEN.equals(context.getTokenType())) {
				return;
			}
			SecurityProperties.Client client = properties.clients().get(context.getRegisteredClient().getClientId());
			Collection<Role> roles = (client != null) ? client.roles() : Set.of();
			context.getClaims().audience(List.of(AUDIENCE));
			putRoles(context.getClaims(), claims.claim(), roles.stream().map(Role::id).sorted().toList());
		};
	}

	static void putRoles(JwtClaimsSet.Builder claims, String claim, List<String> roles) {
		String[] path = claim.split("\\.");
		Object value = roles;
		for (int i = path.length - 1; i > 0; i--) {
			value = Map.of(path[i], value);
		}
		claims.claim(path[0], value);
	}

	@Bean
	UserDetailsService signInUsers(SecurityProperties properties, LocalProperties local, PasswordEncoder encoder) {
		Map<String, Account> accounts = properties.users();
		List<UserDetails> users = new ArrayList<>();
		if (accounts.isEmpty()) {
			users.add(user(GENERATED_ADMIN, generatedAdminHash(new IssuerFiles(local.data()), encoder),
					Set.of(Role.ADMIN)));
		}
		accounts.forEach((name, account) -> users.add(user(name, account.password(), account.roles())));
		return new InMemoryUserDetailsManager(users);
	}

	private static UserDetails user(String name, String password, Collection<Role> roles) {
		Set<Role> held = new TreeSet<>();
		roles.forEach((role) -> held.addAll(role.andBelow()));
		return User.withUsername(name).password(password).authorities(Caller.authorities(held)).build();
	}

	private static String generatedAdminHash(IssuerFiles files, PasswordEncoder encoder) {
		Path file = files.adminPasswordHash();
		try {
			if (Files.isRegularFile(file)) {
				return Files.readString(file, StandardCharsets.UTF_8).strip();
			}
			String password = IssuerFiles.newPassword();
			String hash = encoder.encode(password);
			files.writePrivately(file, hash);
			log.warn("""

					Sign in as '{}' with the generated password: {}
					It is shown this once; only its hash is kept, in {}. Delete that file for a new one, \
					or set skyfold.security.users.<name>.password and .roles to choose your own.
					""", GENERATED_ADMIN, password, file);
			return hash;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not keep the generated admin password's hash in " + file, ex);
		}
	}

	/** True when no external issuer is configured for the resource server. */
	static final class NoExternalIssuer extends NoneNestedConditions {

		NoExternalIssuer() {
			super(ConfigurationCondition.ConfigurationPhase.REGISTER_BEAN);
		}

		@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.issuer-uri")
		static final class IssuerUri {

		}

		@ConditionalOnProperty("spring.security.oauth2.resourceserver.jwt.jwk-set-uri")
		static final class JwkSetUri {

		}

	}

}
