/**
 * Chat messages in Firestore (native mode), one document per message, through the Google
 * Cloud Firestore client.
 */
@NullMarked
package dev.skyfold.chat.gcp.firestore;

import org.jspecify.annotations.NullMarked;
