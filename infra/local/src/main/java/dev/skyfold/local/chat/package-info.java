/**
 * The chat's live side in the local app: the room hub and the live feed that fills it (in
 * this process or through Redis), a Server-Sent Events stream per room and the chat page.
 */
@NullMarked
package dev.skyfold.local.chat;

import org.jspecify.annotations.NullMarked;
