package dev.skyfold.chat.http;

/**
 * An HTTP answer as a host sends it: the status, the {@code Content-Type} and the body.
 *
 * @param status the HTTP status
 * @param contentType the body's media type
 * @param body the body, as text
 */
public record HttpReply(int status, String contentType, String body) {

}
