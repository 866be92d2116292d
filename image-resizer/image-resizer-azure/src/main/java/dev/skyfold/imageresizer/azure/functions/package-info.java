/**
 * The Azure Functions handlers of the resizer and the mapping of their events onto the
 * core's provider-neutral {@code ObjectCreated}.
 */
@NullMarked
package dev.skyfold.imageresizer.azure.functions;

import org.jspecify.annotations.NullMarked;
