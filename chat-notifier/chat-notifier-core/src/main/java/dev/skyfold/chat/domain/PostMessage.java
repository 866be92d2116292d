package dev.skyfold.chat.domain;

import org.jspecify.annotations.Nullable;

/**
 * A chat message as a client posts it, not yet checked.
 *
 * @param room the room, such as {@code general}
 * @param author who writes
 * @param text what they write
 * @param clientMessageId an id the client chose, so that posting twice stores once
 */
public record PostMessage(@Nullable String room, @Nullable String author, @Nullable String text,
		@Nullable String clientMessageId) {

	public PostMessage(String room, String author, String text) {
		this(room, author, text, null);
	}

	/**
	 * This message under another author, such as the one an authenticated caller's token
	 * names.
	 * @param author who writes
	 * @return the same message, by that author
	 */
	public PostMessage withAuthor(String author) {
		return new PostMessage(this.room, author, this.text, this.clientMessageId);
	}

}
