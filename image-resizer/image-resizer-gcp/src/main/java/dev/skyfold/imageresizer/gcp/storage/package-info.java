/**
 * The resizer's object store in Google Cloud Storage, through the official Java client.
 */
@NullMarked
package dev.skyfold.imageresizer.gcp.storage;

import org.jspecify.annotations.NullMarked;
