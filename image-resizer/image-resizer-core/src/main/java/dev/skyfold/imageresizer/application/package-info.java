/**
 * The resizer's functions, as plain java.util.function.Function implementations.
 */
@NullMarked
package dev.skyfold.imageresizer.application;

import org.jspecify.annotations.NullMarked;
