/**
 * What the local app tells an operator beyond its logs: where its spans go.
 */
@NullMarked
package dev.skyfold.local.observability;

import org.jspecify.annotations.NullMarked;
