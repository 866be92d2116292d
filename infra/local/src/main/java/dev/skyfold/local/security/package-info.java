/**
 * Who may use the local app: signed-in callers, their roles from the one access rule, the
 * embedded token issuer used when no other is configured, and per-user rate limits.
 */
@NullMarked
package dev.skyfold.local.security;

import org.jspecify.annotations.NullMarked;
