/**
 * The chat's functions, as plain java.util.function.Function implementations.
 */
@NullMarked
package dev.skyfold.chat.application;

import org.jspecify.annotations.NullMarked;
