/**
 * Auto-configuration of the chat on Google Cloud: the Firestore store and the functions'
 * handlers.
 */
@NullMarked
package dev.skyfold.chat.gcp.autoconfigure;

import org.jspecify.annotations.NullMarked;
