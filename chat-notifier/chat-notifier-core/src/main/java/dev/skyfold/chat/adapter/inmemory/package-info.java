/**
 * A message store in memory, for tests and hosts without a database.
 */
@NullMarked
package dev.skyfold.chat.adapter.inmemory;

import org.jspecify.annotations.NullMarked;
