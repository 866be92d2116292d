/**
 * What every host needs to read its platform's storage events, once for all of them.
 */
@NullMarked
package dev.skyfold.imageresizer.event;

import org.jspecify.annotations.NullMarked;
