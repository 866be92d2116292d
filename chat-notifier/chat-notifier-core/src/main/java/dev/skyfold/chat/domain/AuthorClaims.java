package dev.skyfold.chat.domain;

import java.util.List;
import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * Which claim of an authenticated caller names a message's author, the same on every
 * host: the first of {@link #AUTHOR_CLAIMS} that is not blank. A host that knows who the
 * caller is posts under that name, whatever the body says.
 */
public final class AuthorClaims {

	/**
	 * The claims that name the author, in order of preference: the display name, then the
	 * user name (OpenID Connect's, then Cognito's), then the subject.
	 */
	public static final List<String> AUTHOR_CLAIMS = List.of("name", "preferred_username", "cognito:username", "sub");

	private AuthorClaims() {
	}

	/**
	 * The author an authenticated caller's claims name.
	 * @param claims a claim's value by the claim's name; {@code null} when the caller has
	 * no such claim
	 * @return the value of the first of {@link #AUTHOR_CLAIMS} that is not blank, or
	 * {@code null} when there is none
	 */
	public static @Nullable String author(Function<String, @Nullable String> claims) {
		for (String claim : AUTHOR_CLAIMS) {
			String value = claims.apply(claim);
			if (value != null && !value.isBlank()) {
				return value;
			}
		}
		return null;
	}

}
