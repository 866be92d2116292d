/**
 * Interfaces the resizer needs from the outside world: object storage and image
 * rendering.
 */
@NullMarked
package dev.skyfold.imageresizer.port;

import org.jspecify.annotations.NullMarked;
