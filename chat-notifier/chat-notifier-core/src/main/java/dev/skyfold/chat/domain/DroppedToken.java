package dev.skyfold.chat.domain;

/**
 * A registration token that FCM refused to subscribe or unsubscribe, and why. Such a
 * token is neither kept nor tried again: the device sends a fresh one.
 *
 * @param registrationToken the token
 * @param reason FCM's reason, such as {@code registration-token-not-registered} or
 * {@code invalid-argument}
 */
public record DroppedToken(String registrationToken, String reason) {

}
