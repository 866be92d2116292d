/**
 * Brings the resizer's functions and default adapters into any Spring Boot host.
 */
@NullMarked
package dev.skyfold.imageresizer.autoconfigure;

import org.jspecify.annotations.NullMarked;
