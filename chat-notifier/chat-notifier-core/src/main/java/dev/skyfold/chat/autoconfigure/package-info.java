/**
 * Brings the chat's functions and default adapters into any Spring Boot host.
 */
@NullMarked
package dev.skyfold.chat.autoconfigure;

import org.jspecify.annotations.NullMarked;
