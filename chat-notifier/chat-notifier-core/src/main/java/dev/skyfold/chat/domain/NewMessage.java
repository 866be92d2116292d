package dev.skyfold.chat.domain;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;

/**
 * A posted message that passed the rules, normalised and ready to store.
 *
 * @param room the room: 1 to 64 lower-case letters, digits and dashes
 * @param author the author: 1 to 64 printable characters, trimmed
 * @param text the text: 1 to 4000 characters, trimmed, no control characters but newlines
 * @param clientMessageId the client's id for the message, if any: up to 128 printable
 * characters
 */
public record NewMessage(String room, String author, String text, @Nullable String clientMessageId) {

	/** The longest text, in characters (Unicode code points). */
	public static final int MAX_TEXT = 4000;

	/** The longest author name, in characters. */
	public static final int MAX_AUTHOR = 64;

	private static final int MAX_CLIENT_MESSAGE_ID = 128;

	/**
	 * Checks a posted message against the rules and normalises it.
	 * @param post the message as posted
	 * @return the message to store
	 * @throws RejectedInputException when a rule is broken; over-long text is
	 * {@link Rejection#TOO_LARGE}, everything else {@link Rejection#INVALID}
	 */
	public static NewMessage from(PostMessage post) {
		String room = Rooms.check(post.room());
		String author = trimmed(post.author(), "author");
		if (author.codePointCount(0, author.length()) > MAX_AUTHOR) {
			throw invalid("The author must be at most " + MAX_AUTHOR + " characters");
		}
		if (!isPrintable(author, false)) {
			throw invalid("The author must be printable characters only");
		}
		String text = trimmed((post.text() != null) ? post.text().replace("\r\n", "\n") : null, "text");
		int length = text.codePointCount(0, text.length());
		if (length > MAX_TEXT) {
			throw new RejectedInputException(Rejection.TOO_LARGE,
					"The text is " + length + " characters; at most " + MAX_TEXT + " are allowed");
		}
		if (!isPrintable(text, true)) {
			throw invalid("The text must not contain control characters other than newlines");
		}
		String clientMessageId = post.clientMessageId();
		if (clientMessageId != null) {
			clientMessageId = clientMessageId.isBlank() ? null : clientMessageId.strip();
		}
		if (clientMessageId != null
				&& (clientMessageId.length() > MAX_CLIENT_MESSAGE_ID || !isPrintable(clientMessageId, false))) {
			throw invalid("The clientMessageId must be at most " + MAX_CLIENT_MESSAGE_ID + " printable characters");
		}
		return new NewMessage(room, author, text, clientMessageId);
	}

	/**
	 * The value without the blanks around it: whitespace and every space character,
	 * no-break spaces included, which {@link String#strip()} keeps. Blanks and invisible
	 * format characters (such as a zero-width space) alone count as empty.
	 */
	private static String trimmed(@Nullable String value, String field) {
		String text = (value != null) ? value : "";
		int start = 0;
		int end = text.length();
		while (start < end && isBlank(text.codePointAt(start))) {
			start += Character.charCount(text.codePointAt(start));
		}
		while (end > start && isBlank(text.codePointBefore(end))) {
			end -= Character.charCount(text.codePointBefore(end));
		}
		String trimmed = text.substring(start, end);
		if (trimmed.codePoints().allMatch((c) -> isBlank(c) || Character.getType(c) == Character.FORMAT)) {
			throw invalid("The " + field + " must not be empty");
		}
		return trimmed;
	}

	private static boolean isBlank(int c) {
		return Character.isWhitespace(c) || Character.isSpaceChar(c);
	}

	/**
	 * Whether a value holds printable characters only: no control characters (but
	 * newlines, when allowed), line or paragraph separators, lone surrogates or
	 * unassigned code points.
	 */
	static boolean isPrintable(String value, boolean newlines) {
		return value.codePoints().allMatch((c) -> (newlines && c == '\n') || isPrintable(c));
	}

	private static boolean isPrintable(int c) {
		int type = Character.getType(c);
		return type != Character.CONTROL && type != Character.LINE_SEPARATOR && type != Character.PARAGRAPH_SEPARATOR
				&& type != Character.SURROGATE && type != Character.UNASSIGNED;
	}

	private static RejectedInputException invalid(String message) {
		return new RejectedInputException(Rejection.INVALID, message);
	}

}
