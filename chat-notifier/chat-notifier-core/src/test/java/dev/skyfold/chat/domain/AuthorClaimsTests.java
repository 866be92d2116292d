package dev.skyfold.chat.domain;

import java.util.LinkedHashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rule every host applies to an authenticated caller's claims to name a message's
 * author.
 */
class AuthorClaimsTests {

	@Test
	void prefersTheDisplayNameThenTheUserNamesThenTheSubject() {
		assertThat(
				author("sub", "s-1", "cognito:username", "ada-c", "preferred_username", "ada", "name", "Ada Lovelace"))
			.isEqualTo("Ada Lovelace");
		assertThat(author("sub", "s-1", "cognito:username", "ada-c", "preferred_username", "ada")).isEqualTo("ada");
		assertThat(author("sub", "s-1", "cognito:username", "ada-c")).isEqualTo("ada-c");
		assertThat(author("sub", "s-1", "email", "ada@example.com")).isEqualTo("s-1");
	}

	@Test
	void skipsBlankClaims() {
		assertThat(author("name", " \t", "preferred_username", "", "sub", "s-1")).isEqualTo("s-1");
	}

	@Test
	void namesNoAuthorWithoutAnyOfTheClaims() {
		assertThat(author()).isNull();
		assertThat(author("email", "ada@example.com", "Name", "Ada", "NAME", "Ada")).isNull();
		assertThat(author("name", "  ")).isNull();
	}

	@Test
	void returnsTheClaimAsTheTokenHasIt() {
		assertThat(author("name", " Ada Lovelace ")).isEqualTo(" Ada Lovelace ");
	}

	@Test
	void listsTheClaimsInOrderOfPreference() {
		assertThat(AuthorClaims.AUTHOR_CLAIMS).containsExactly("name", "preferred_username", "cognito:username", "sub");
	}

	private static @Nullable String author(String... namesAndValues) {
		Map<String, String> claims = new LinkedHashMap<>();
		for (int i = 0; i < namesAndValues.length; i += 2) {
			claims.put(namesAndValues[i], namesAndValues[i + 1]);
		}
		return AuthorClaims.author(claims::get);
	}

}
