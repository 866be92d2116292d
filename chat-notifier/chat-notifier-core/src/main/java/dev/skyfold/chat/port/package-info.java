/**
 * Interfaces the chat needs from the outside world: a message store, a live feed and
 * broadcasters.
 */
@NullMarked
package dev.skyfold.chat.port;

import org.jspecify.annotations.NullMarked;
