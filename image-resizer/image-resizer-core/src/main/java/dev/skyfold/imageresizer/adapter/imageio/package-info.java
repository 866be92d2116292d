/**
 * Renders thumbnails with the bundled native decoder (leptonica), ImageIO decoders
 * (TwelveMonkeys) and Thumbnailator.
 */
@NullMarked
package dev.skyfold.imageresizer.adapter.imageio;

import org.jspecify.annotations.NullMarked;
