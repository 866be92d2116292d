/**
 * The chat on Google Cloud Functions: the application its entry points start.
 */
@NullMarked
package dev.skyfold.chat.gcp;

import org.jspecify.annotations.NullMarked;
