package dev.skyfold.chat.domain;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A posted message, as a host hands it to the core.
 */
class PostMessageTests {

	@Test
	void withAuthorReplacesOnlyTheAuthor() {
		assertThat(new PostMessage("general", "mallory", "Hi", "c-1").withAuthor("Ada"))
			.isEqualTo(new PostMessage("general", "Ada", "Hi", "c-1"));
	}

}
