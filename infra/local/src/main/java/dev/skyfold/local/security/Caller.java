package dev.skyfold.local.security;

import java.util.Collection;
import java.util.Set;
import java.util.stream.Collectors;

import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.kernel.access.Role;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.oidc.user.OidcUser;

/**
 * A signed-in caller as the access rule sees it, whichever way it signed in: a name (the
 * author of what it posts) and its highest role. Roles travel as Spring Security
 * authorities {@code ROLE_VIEWER}, {@code ROLE_MEMBER}, {@code ROLE_ADMIN}, a caller
 * holding each role its highest one includes.
 *
 * @param name who the caller is
 * @param role its highest role, {@code null} when it has none
 */
public record Caller(String name, @Nullable Role role) {

	private static final String PREFIX = "ROLE_";

	/**
	 * The caller an authentication stands for.
	 * @param authentication a signed-in caller's authentication
	 * @return the caller
	 */
	public static Caller of(Authentication authentication) {
		String name = authentication.getName();
		if (authentication.getPrincipal() instanceof OidcUser person) {
			// Named as every host names an author, not by the subject Spring picks.
			String author = AuthorClaims.author(person::getClaimAsString);
			name = (author != null) ? author : name;
		}
		return new Caller(name, highestRole(authentication.getAuthorities()));
	}

	/**
	 * The authorities of a caller with some roles.
	 * @param roles the roles, each including those below it
	 * @return one authority per role
	 */
	static Set<GrantedAuthority> authorities(Collection<Role> roles) {
		return roles.stream()
			.map((role) -> new SimpleGrantedAuthority(PREFIX + role.name()))
			.collect(Collectors.toUnmodifiableSet());
	}

	private static @Nullable Role highestRole(Collection<? extends GrantedAuthority> authorities) {
		Role highest = null;
		for (GrantedAuthority authority : authorities) {
			String name = authority.getAuthority();
			if (name != null && name.startsWith(PREFIX)) {
				Role role = Role.named(name.substring(PREFIX.length())).orElse(null);
				if (role != null && (highest == null || role.includes(highest))) {
					highest = role;
				}
			}
		}
		return highest;
	}

}
