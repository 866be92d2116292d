/**
 * The chat's application services and its functions, plain java.util.function.Function
 * implementations over them.
 */
@NullMarked
package dev.skyfold.chat.application;

import org.jspecify.annotations.NullMarked;
