/**
 * The chat's Azure functions: HTTP-triggered handlers that map requests to the core's
 * functions and their results to HTTP responses.
 */
@NullMarked
package dev.skyfold.chat.azure.functions;

import org.jspecify.annotations.NullMarked;
