package dev.skyfold.chat.http;

import java.util.List;
import java.util.Map;

import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.chat.domain.ChatOperation;
import dev.skyfold.kernel.access.AccessRefusedException;
import dev.skyfold.kernel.access.InvalidRoleClaimException;
import dev.skyfold.kernel.access.Role;
import dev.skyfold.kernel.access.RoleClaims;
import org.jspecify.annotations.Nullable;

/**
 * A caller a platform's authorizer vouched for (API Gateway's JWT authorizer, App Service
 * Authentication), as the one access rule sees it: the author its claims name and its
 * highest role. A host checks every request's operation with it before anything changes.
 *
 * @param author who the caller is, by {@link AuthorClaims}; {@code null} when no claim
 * names it
 * @param role its highest role; {@code null} when it has none
 */
public record VouchedCaller(@Nullable String author, @Nullable Role role) {

	/**
	 * The caller some claims describe.
	 * @param claims the claims by name: strings, or lists of strings for claims that
	 * repeat
	 * @param roles how roles are read from them
	 * @return the caller
	 * @throws AccessRefusedException (401) when the role claim has a type no provider
	 * uses
	 */
	public static VouchedCaller of(Map<String, ?> claims, RoleClaims roles) {
		String author = AuthorClaims.author((claim) -> first(claims.get(claim)));
		try {
			return new VouchedCaller(author, roles.highestRole(claims).orElse(null));
		}
		catch (InvalidRoleClaimException ex) {
			throw AccessRefusedException.unauthenticated(ex.getMessage());
		}
	}

	/**
	 * Refuses this caller an operation its role does not allow.
	 * @param operation what it asked for
	 * @throws AccessRefusedException (403) when its role is too low
	 */
	public void check(ChatOperation operation) {
		operation.check(this.role);
	}

	private static @Nullable String first(@Nullable Object value) {
		if (value instanceof String text) {
			return text;
		}
		return (value instanceof List<?> values && !values.isEmpty() && values.get(0) instanceof String text) ? text
				: null;
	}

}
