/**
 * The image resizer on Google Cloud Functions: the application its entry points start.
 */
@NullMarked
package dev.skyfold.imageresizer.gcp;

import org.jspecify.annotations.NullMarked;
