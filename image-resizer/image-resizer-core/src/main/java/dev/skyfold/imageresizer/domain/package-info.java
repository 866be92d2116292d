/**
 * The image-resizer's vocabulary: events, sizes and results, as plain records.
 */
@NullMarked
package dev.skyfold.imageresizer.domain;

import org.jspecify.annotations.NullMarked;
