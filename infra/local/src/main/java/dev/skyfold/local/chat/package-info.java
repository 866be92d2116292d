/**
 * The chat's live side in the local app: a Server-Sent Events stream per room and the
 * chat page.
 */
@NullMarked
package dev.skyfold.local.chat;

import org.jspecify.annotations.NullMarked;
