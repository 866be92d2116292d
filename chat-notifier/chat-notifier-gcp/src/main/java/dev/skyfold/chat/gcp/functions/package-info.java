/**
 * The chat's Google Cloud function handlers: HTTP requests and Firestore's
 * document-created CloudEvents mapped to the core's functions, under the one access rule.
 */
@NullMarked
package dev.skyfold.chat.gcp.functions;

import org.jspecify.annotations.NullMarked;
