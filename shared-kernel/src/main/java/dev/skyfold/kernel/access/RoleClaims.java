package dev.skyfold.kernel.access;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

import org.jspecify.annotations.Nullable;

/**
 * Reads the roles a caller's token grants. They come from one claim: the configured one
 * ({@code roles} by default) when the token has it, otherwise the first of the claims
 * identity providers use for roles that it has: Keycloak's {@code realm_access.roles},
 * {@code groups} (Entra ID, Okta) or Cognito's {@code cognito:groups}. A claim holds a
 * list of names, or one string of names separated by spaces or commas (API Gateway hands
 * list claims on as {@code "[admin member]"}). Names other than the roles' are ignored; a
 * claim of any other type is an error, so that a malformed token is refused rather than
 * read as one without roles.
 */
public final class RoleClaims {

	/** The claim read by default. */
	public static final String DEFAULT_CLAIM = "roles";

	/** The claims providers use for roles, read when the configured one is absent. */
	public static final List<String> PROVIDER_CLAIMS = List.of("realm_access.roles", "groups", "cognito:groups");

	/** More names than any caller needs: a longer claim is refused, not scanned. */
	private static final int MAX_NAMES = 256;

	private final List<String> claims;

	/**
	 * Reads roles from a claim, then from the providers' claims.
	 * @param claim the claim to read first, such as {@code roles}; a dotted name such as
	 * {@code realm_access.roles} reaches into an object claim
	 */
	public RoleClaims(String claim) {
		List<String> claims = new ArrayList<>();
		claims.add(claim);
		PROVIDER_CLAIMS.stream().filter((name) -> !name.equals(claim)).forEach(claims::add);
		this.claims = List.copyOf(claims);
	}

	/**
	 * The claim read first, as configured.
	 * @return the claim's name, such as {@code roles}
	 */
	public String claim() {
		return this.claims.get(0);
	}

	/**
	 * The roles a token's claims grant, each role including those below it.
	 * @param token the token's claims by name
	 * @return the roles, empty when the token grants none
	 * @throws InvalidRoleClaimException when the role claim is neither a list of strings
	 * nor a string
	 */
	public Set<Role> roles(Map<String, ?> token) {
		return highestRole(token).map(Role::andBelow).orElse(Set.of());
	}

	/**
	 * The highest role a token's claims grant.
	 * @param token the token's claims by name
	 * @return the role, empty when the token grants none
	 * @throws InvalidRoleClaimException when the role claim is neither a list of strings
	 * nor a string
	 */
	public Optional<Role> highestRole(Map<String, ?> token) {
		for (String claim : this.claims) {
			Object value = find(token, claim);
			if (value != null) {
				return names(claim, value).stream().map(Role::named).flatMap(Optional::stream).max(Role::compareTo);
			}
		}
		return Optional.empty();
	}

	private static @Nullable Object find(Map<String, ?> token, String claim) {
		Object value = token.get(claim);
		if (value != null || !claim.contains(".")) {
			return value;
		}
		Object node = token;
		for (String part : claim.split("\\.")) {
			if (!(node instanceof Map<?, ?> object)) {
				return null;
			}
			node = object.get(part);
		}
		return node;
	}

	private static List<String> names(String claim, Object value) {
		if (value instanceof String text) {
			String list = text.strip();
			if (list.startsWith("[") && list.endsWith("]")) {
				list = list.substring(1, list.length() - 1);
			}
			return checkedSize(claim, List.of(list.strip().split("[\\s,]+")));
		}
		if (value instanceof Collection<?> values) {
			checkedSize(claim, values);
			List<String> names = new ArrayList<>(values.size());
			for (Object name : values) {
				if (!(name instanceof String string)) {
					throw new InvalidRoleClaimException(claim, "holds a " + typeOf(name) + " among its names");
				}
				names.add(string);
			}
			return names;
		}
		throw new InvalidRoleClaimException(claim, "is a " + typeOf(value) + ", not a list of role names");
	}

	private static <T extends Collection<?>> T checkedSize(String claim, T names) {
		if (names.size() > MAX_NAMES) {
			throw new InvalidRoleClaimException(claim, "holds more than " + MAX_NAMES + " names");
		}
		return names;
	}

	private static String typeOf(@Nullable Object value) {
		return (value != null) ? value.getClass().getSimpleName() : "null";
	}

}
