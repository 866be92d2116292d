/**
 * Pushes every chat message to its room's Firebase Cloud Messaging topic through the
 * Firebase Admin SDK.
 */
@NullMarked
package dev.skyfold.chat.fcm;

import org.jspecify.annotations.NullMarked;
