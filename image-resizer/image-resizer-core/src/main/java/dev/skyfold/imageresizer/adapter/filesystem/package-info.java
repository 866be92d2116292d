/**
 * A bucket kept in a local folder: the embedded default object store.
 */
@NullMarked
package dev.skyfold.imageresizer.adapter.filesystem;

import org.jspecify.annotations.NullMarked;
