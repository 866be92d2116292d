/**
 * The local platform: one Spring Boot web app that hosts every Skyfold function.
 */
@NullMarked
package dev.skyfold.local;

import org.jspecify.annotations.NullMarked;
