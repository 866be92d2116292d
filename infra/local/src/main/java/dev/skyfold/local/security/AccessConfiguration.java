package dev.skyfold.local.security;

import java.util.Set;

import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.imageresizer.domain.ImageOperation;
import dev.skyfold.kernel.access.InvalidRoleClaimException;
import dev.skyfold.kernel.access.RoleClaims;
import jakarta.servlet.http.HttpServletRequest;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.security.autoconfigure.actuate.web.servlet.EndpointRequest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.core.convert.converter.Converter;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpMethod;
import org.springframework.http.MediaType;
import org.springframework.security.authentication.AbstractAuthenticationToken;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.core.authority.mapping.GrantedAuthoritiesMapper;
import org.springframework.security.oauth2.client.registration.ClientRegistrationRepository;
import org.springframework.security.oauth2.core.oidc.user.OidcUserAuthority;
import org.springframework.security.oauth2.core.user.OAuth2UserAuthority;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.authentication.JwtAuthenticationToken;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.authentication.LoginUrlAuthenticationEntryPoint;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;
import org.springframework.security.web.savedrequest.HttpSessionRequestCache;
import org.springframework.security.web.util.matcher.MediaTypeRequestMatcher;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.UrlBasedCorsConfigurationSource;

/**
 * The local app's one access rule, in Spring Security: every API path needs a signed-in
 * caller whose role allows the operation ({@link ImageOperation}, {@link ChatOperation});
 * only the pages' assets and the health probe are open.
 * <p>
 * Scripts send a bearer token from the configured issuer (the embedded one by default).
 * The pages use a session: a sign-in form when the app is its own issuer, or the
 * authorization-code flow against an external issuer when a client registration for it is
 * configured (with PKCE for a public client); the session's writes need the CSRF token (a
 * cookie the pages echo as a header). A session and not a token in the browser, since the
 * live stream ({@code EventSource}) can only send cookies.
 */
@Configuration(proxyBeanMethods = false)
class AccessConfiguration {

	/**
	 * Content-Security-Policy of the pages: no inline script, nothing framed or framing.
	 */
	static final String PAGE_POLICY = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
			+ "img-src 'self' blob: data:; connect-src 'self'; object-src 'none'; base-uri 'none'; "
			+ "form-action 'self'; frame-ancestors 'none'";

	@Bean
	@Order(2)
	SecurityFilterChain accessRules(HttpSecurity http, SecurityProperties properties, RoleClaims roles, JsonMapper json,
			ObjectProvider<ClientRegistrationRepository> externalSignIn, ObjectProvider<EmbeddedSignIn> embeddedSignIn,
			@Value("${spring.cloud.function.web.path:}") String functionsPath) throws Exception {
		String functions = functionsPath.endsWith("/") ? functionsPath : functionsPath + "/";
		ProblemAnswers problems = new ProblemAnswers(json);
		http.authorizeHttpRequests((requests) -> requests.requestMatchers(EndpointRequest.to("health"))
			.permitAll()
			.requestMatchers(EndpointRequest.toAnyEndpoint())
			.hasRole("ADMIN")
			.requestMatchers(HttpMethod.GET, "/*.js", "/*.css", "/favicon.ico", "/error", "/login")
			.permitAll()
			.requestMatchers(HttpMethod.GET, "/objects", "/objects/**")
			.access(OperationAccess.of(ImageOperation.READ_OBJECT))
			.requestMatchers(HttpMethod.PUT, "/objects/**")
			.access(OperationAccess.of(ImageOperation.UPLOAD_OBJECT))
			.requestMatchers(HttpMethod.DELETE, "/objects/**")
			.access(OperationAccess.of(ImageOperation.DELETE_OBJECT))
			.requestMatchers("/reconcile")
			.access(OperationAccess.of(ImageOperation.RECONCILE_THUMBNAILS))
			.requestMatchers(HttpMethod.GET, "/rooms/*/stream")
			.access(OperationAccess.of(ChatOperation.OPEN_STREAM))
			.requestMatchers(functions + "**")
			.access(OperationAccess.functions(functions))
			.anyRequest()
			.authenticated());
		http.oauth2ResourceServer(
				(resourceServer) -> resourceServer.jwt((jwt) -> jwt.jwtAuthenticationConverter(tokenCaller(roles)))
					.authenticationEntryPoint(problems)
					.accessDeniedHandler(problems));
		if (externalSignIn.getIfAvailable() != null) {
			http.oauth2Login((login) -> login
				.userInfoEndpoint((userInfo) -> userInfo.userAuthoritiesMapper(signedInRoles(roles))));
		}
		else {
			embeddedSignIn.ifAvailable((embedded) -> embedded.configure(http));
		}
		// Pages asking for HTML are sent to /login (the form, or the link to the external
		// issuer); everything else gets a problem.
		MediaTypeRequestMatcher pages = new MediaTypeRequestMatcher(MediaType.TEXT_HTML);
		pages.setIgnoredMediaTypes(Set.of(MediaType.ALL));
		http.exceptionHandling((exceptions) -> exceptions
			.defaultAuthenticationEntryPointFor(new LoginUrlAuthenticationEntryPoint("/login"), pages)
			.defaultAuthenticationEntryPointFor(problems, (request) -> true)
			.accessDeniedHandler(problems));
		http.logout((logout) -> logout.logoutSuccessUrl("/login?logout"));
		// A cross-site page cannot add an Authorization header without a preflight, which
		// CORS refuses: requests carrying a token need no CSRF token. Nor do requests
		// without a session (the sign-in form's excepted): nothing signs them in, so they
		// are answered 401.
		http.csrf((csrf) -> csrf.spa()
			.ignoringRequestMatchers(AccessConfiguration::carriesToken, AccessConfiguration::carriesNoSession));
		// After signing in, back to the page as asked for, without a marker parameter.
		HttpSessionRequestCache pagesAsked = new HttpSessionRequestCache();
		pagesAsked.setMatchingRequestParameterName(null);
		http.requestCache((cache) -> cache.requestCache(pagesAsked));
		http.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(PAGE_POLICY))
			.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.SAME_ORIGIN)));
		if (properties.corsAllowedOrigins().isEmpty()) {
			http.cors((cors) -> cors.disable());
		}
		else {
			http.cors((cors) -> cors.configurationSource(corsFor(properties)));
		}
		return http.build();
	}

	@Bean
	RequestFirewall requestFirewall(JsonMapper json) {
		return new RequestFirewall(json);
	}

	private static boolean carriesToken(HttpServletRequest request) {
		return request.getHeader(HttpHeaders.AUTHORIZATION) != null;
	}

	private static boolean carriesNoSession(HttpServletRequest request) {
		return request.getRequestedSessionId() == null && !"/login".equals(request.getServletPath());
	}

	/**
	 * Reads a token's caller: the author rule names it, the role claims give its roles; a
	 * token whose role claim is malformed is refused.
	 */
	private static Converter<Jwt, AbstractAuthenticationToken> tokenCaller(RoleClaims roles) {
		return (jwt) -> {
			String name = AuthorClaims
				.author((claim) -> (jwt.getClaims().get(claim) instanceof String value) ? value : null);
			if (name == null) {
				throw new InvalidBearerTokenException("The token names no one: it has none of the claims "
						+ String.join(", ", AuthorClaims.AUTHOR_CLAIMS));
			}
			try {
				return new JwtAuthenticationToken(jwt, Caller.authorities(roles.roles(jwt.getClaims())), name);
			}
			catch (InvalidRoleClaimException ex) {
				throw new InvalidBearerTokenException(ex.getMessage());
			}
		};
	}

	/** The roles of a person signed in at an external issuer, from its ID token. */
	private static GrantedAuthoritiesMapper signedInRoles(RoleClaims roles) {
		return (authorities) -> {
			for (var authority : authorities) {
				if (authority instanceof OidcUserAuthority oidc) {
					return Caller.authorities(roles.roles(oidc.getIdToken().getClaims()));
				}
				if (authority instanceof OAuth2UserAuthority user) {
					return Caller.authorities(roles.roles(user.getAttributes()));
				}
			}
			return Set.of();
		};
	}

	private static UrlBasedCorsConfigurationSource corsFor(SecurityProperties properties) {
		CorsConfiguration cors = new CorsConfiguration();
		cors.setAllowedOrigins(properties.corsAllowedOrigins());
		cors.addAllowedMethod(HttpMethod.GET);
		cors.addAllowedMethod(HttpMethod.POST);
		cors.addAllowedMethod(HttpMethod.PUT);
		cors.addAllowedMethod(HttpMethod.DELETE);
		cors.addAllowedHeader(HttpHeaders.AUTHORIZATION);
		cors.addAllowedHeader(HttpHeaders.CONTENT_TYPE);
		cors.addExposedHeader(HttpHeaders.RETRY_AFTER);
		UrlBasedCorsConfigurationSource source = new UrlBasedCorsConfigurationSource();
		source.registerCorsConfiguration("/**", cors);
		return source;
	}

}
