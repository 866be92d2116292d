/**
 * Auto-configuration of the image resizer on Google Cloud: the Cloud Storage store and
 * the entry points' handler.
 */
@NullMarked
package dev.skyfold.imageresizer.gcp.autoconfigure;

import org.jspecify.annotations.NullMarked;
