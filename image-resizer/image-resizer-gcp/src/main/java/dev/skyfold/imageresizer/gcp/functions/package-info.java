/**
 * The resizer's Google Cloud Functions entry points and the mapping of Cloud Storage
 * CloudEvents to the core's neutral object events.
 */
@NullMarked
package dev.skyfold.imageresizer.gcp.functions;

import org.jspecify.annotations.NullMarked;
