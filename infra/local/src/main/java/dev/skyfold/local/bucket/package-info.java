/**
 * A local bucket over HTTP that fires object-created events into {@code resizeImage}, as
 * S3 and Azure Blob Storage do.
 */
@NullMarked
package dev.skyfold.local.bucket;

import org.jspecify.annotations.NullMarked;
