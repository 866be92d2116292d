/**
 * Value types that every Skyfold feature and host shares, free of any framework.
 */
@NullMarked
package dev.skyfold.kernel;

import org.jspecify.annotations.NullMarked;
