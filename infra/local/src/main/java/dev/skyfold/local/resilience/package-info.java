/**
 * Circuit breakers around the local app's dependencies: a dependency that is down is
 * refused at once, and probed back, instead of holding request threads.
 */
@NullMarked
package dev.skyfold.local.resilience;

import org.jspecify.annotations.NullMarked;
