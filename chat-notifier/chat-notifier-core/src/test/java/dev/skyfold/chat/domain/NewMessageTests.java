package dev.skyfold.chat.domain;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.assertj.core.api.ThrowableAssertAlternative;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The rules a posted message must pass before it is stored: room names, authors, text and
 * client message ids.
 */
class NewMessageTests {

	private static final String EMOJI = "\uD83D\uDE80";

	@Test
	void acceptsAPlainMessageUnchanged() {
		NewMessage message = NewMessage.from(new PostMessage("general", "Ada", "Hello, room!", "c-1"));
		assertThat(message).isEqualTo(new NewMessage("general", "Ada", "Hello, room!", "c-1"));
	}

	@ParameterizedTest
	@ValueSource(strings = { "general", "a", "0", "room-42", "-",
			"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
	void acceptsRoomsOfLowerCaseLettersDigitsAndDashesUpTo64(String room) {
		assertThat(NewMessage.from(new PostMessage(room, "Ada", "hi")).room()).isEqualTo(room);
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { "General", "room_1", "room 1", "r\u00f6\u00f6m", " general", "general ", "general\n",
			"room/1", "room.1", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa" })
	void rejectsRoomsOutsideThePattern(String room) {
		assertRejected(new PostMessage(room, "Ada", "hi"), Rejection.INVALID).withMessageContaining("room");
	}

	@Test
	void trimsTheAuthor() {
		assertThat(NewMessage.from(new PostMessage("general", "  Ada Lovelace \t", "hi")).author())
			.isEqualTo("Ada Lovelace");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Zo\u00eb", "\u674e\u96f7", "Jos\u00e9 " + EMOJI, "a" })
	void acceptsUnicodeAuthors(String author) {
		assertThat(NewMessage.from(new PostMessage("general", author, "hi")).author()).isEqualTo(author.strip());
	}

	@Test
	void acceptsAuthorsOf64Characters() {
		assertThat(NewMessage.from(new PostMessage("general", "a".repeat(64), "hi")).author()).hasSize(64);
		assertThat(NewMessage.from(new PostMessage("general", EMOJI.repeat(64), "hi")).author())
			.isEqualTo(EMOJI.repeat(64));
	}

	@Test
	void rejectsAuthorsOver64CharactersAsInvalid() {
		assertRejected(new PostMessage("general", "a".repeat(65), "hi"), Rejection.INVALID)
			.withMessageContaining("author");
		assertRejected(new PostMessage("general", EMOJI.repeat(65), "hi"), Rejection.INVALID)
			.withMessageContaining("author");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "\n", " \t ", "\u00a0", "\u200b", "\u2007\u202f\ufeff" })
	void rejectsMissingOrBlankAuthors(String author) {
		assertRejected(new PostMessage("general", author, "hi"), Rejection.INVALID).withMessageContaining("author");
	}

	@ParameterizedTest
	@ValueSource(strings = { "Ada\nLovelace", "Ada\tLovelace", "Ada\u0000", "Ada\u001b[31m", "Ada\u007f", "Ada\u0085",
			"Ada\u2028x", "Ada\uD83D", "Ada\u0378" })
	void rejectsAuthorsWithUnprintableCharacters(String author) {
		assertRejected(new PostMessage("general", author, "hi"), Rejection.INVALID).withMessageContaining("author");
	}

	@Test
	void trimsTheTextButKeepsInnerNewlines() {
		assertThat(NewMessage.from(new PostMessage("general", "Ada", " \n line 1\nline 2\n\n ")).text())
			.isEqualTo("line 1\nline 2");
	}

	@Test
	void trimsNoBreakSpacesButKeepsInnerOnes() {
		assertThat(NewMessage.from(new PostMessage("general", "\u00a0Ada\u00a0L.\u202f", "\u00a010\u00a0km\u00a0\n")))
			.satisfies((message) -> {
				assertThat(message.author()).isEqualTo("Ada\u00a0L.");
				assertThat(message.text()).isEqualTo("10\u00a0km");
			});
	}

	@Test
	void normalisesCrLfToNewline() {
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "a\r\nb\r\n\r\nc\r\n")).text())
			.isEqualTo("a\nb\n\nc");
	}

	@Test
	void countsCrLfAsOneCharacter() {
		// 6000 UTF-16 chars as posted, 3999 characters once normalised and trimmed.
		String text = "x\r\n".repeat(2000);
		assertThat(NewMessage.from(new PostMessage("general", "Ada", text)).text()).isEqualTo("x\n".repeat(1999) + "x");
	}

	@Test
	void acceptsUnicodeAndEmojiText() {
		String text = "Gr\u00fc\u00dfe aus K\u00f6ln \u2014 \u4f60\u597d " + EMOJI
				+ " \uD83D\uDC69\u200D\uD83D\uDCBB \uD83C\uDDE9\uD83C\uDDEA";
		assertThat(NewMessage.from(new PostMessage("general", "Ada", text)).text()).isEqualTo(text);
	}

	@Test
	void acceptsTextOf4000Characters() {
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "a".repeat(4000))).text()).hasSize(4000);
	}

	@Test
	void acceptsTextOf4000Emoji() {
		String text = EMOJI.repeat(4000);
		NewMessage message = NewMessage.from(new PostMessage("general", "Ada", text));
		assertThat(message.text()).isEqualTo(text);
		assertThat(message.text().codePointCount(0, message.text().length())).isEqualTo(NewMessage.MAX_TEXT);
	}

	@Test
	void measuresTheTextAfterTrimming() {
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "  \n" + "a".repeat(4000) + "\n  ")).text())
			.hasSize(4000);
	}

	@Test
	void rejectsTextOf4001CharactersAsTooLarge() {
		assertRejected(new PostMessage("general", "Ada", "a".repeat(4001)), Rejection.TOO_LARGE)
			.withMessageContaining("4001")
			.withMessageContaining("4000");
	}

	@Test
	void rejectsTextOf4001EmojiAsTooLarge() {
		assertRejected(new PostMessage("general", "Ada", EMOJI.repeat(4001)), Rejection.TOO_LARGE)
			.withMessageContaining("4001");
	}

	@ParameterizedTest
	@NullAndEmptySource
	@ValueSource(strings = { " ", "\n\n", "\r\n", " \u3000 \t ", "\u00a0\u00a0", "\u200b\n\u200d" })
	void rejectsMissingOrBlankText(String text) {
		assertRejected(new PostMessage("general", "Ada", text), Rejection.INVALID).withMessageContaining("text");
	}

	@ParameterizedTest
	@ValueSource(strings = { "a\tb", "a\rb", "a\u0000b", "\u001b[31mred", "a\u0007b", "a\u007fb", "a\u0085b",
			"a\u2028b", "a\u2029b", "a\uDE80b" })
	void rejectsTextWithControlCharactersOtherThanNewline(String text) {
		assertRejected(new PostMessage("general", "Ada", text), Rejection.INVALID).withMessageContaining("text");
	}

	@Test
	void keepsNoClientMessageIdWhenNoneOrBlankIsGiven() {
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "hi", null)).clientMessageId()).isNull();
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "hi", "")).clientMessageId()).isNull();
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "hi", "   ")).clientMessageId()).isNull();
	}

	@Test
	void trimsTheClientMessageId() {
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "hi", " c-1 ")).clientMessageId())
			.isEqualTo("c-1");
	}

	@Test
	void acceptsClientMessageIdsOf128Characters() {
		String id = "0123456789abcdef".repeat(8);
		assertThat(NewMessage.from(new PostMessage("general", "Ada", "hi", id)).clientMessageId()).isEqualTo(id);
	}

	@Test
	void rejectsClientMessageIdsOver128Characters() {
		assertRejected(new PostMessage("general", "Ada", "hi", "x".repeat(129)), Rejection.INVALID)
			.withMessageContaining("clientMessageId");
	}

	@ParameterizedTest
	@ValueSource(strings = { "c\n1", "c\t1", "c\u00001", "c\u007f" })
	void rejectsClientMessageIdsWithControlCharacters(String clientMessageId) {
		assertRejected(new PostMessage("general", "Ada", "hi", clientMessageId), Rejection.INVALID)
			.withMessageContaining("clientMessageId");
	}

	private static ThrowableAssertAlternative<RejectedInputException> assertRejected(PostMessage post,
			Rejection rejection) {
		return assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> NewMessage.from(post))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(rejection));
	}

}
