/**
 * Renders thumbnails with ImageIO decoders (TwelveMonkeys, optionally libjpeg-turbo) and
 * Thumbnailator.
 */
@NullMarked
package dev.skyfold.imageresizer.adapter.imageio;

import org.jspecify.annotations.NullMarked;
