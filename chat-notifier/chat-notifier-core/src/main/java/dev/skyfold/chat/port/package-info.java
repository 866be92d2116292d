/**
 * Interfaces the chat needs from the outside world: a message store, a live feed,
 * broadcasters and, with a push channel, room subscriptions.
 */
@NullMarked
package dev.skyfold.chat.port;

import org.jspecify.annotations.NullMarked;
