/**
 * Hosts the Function beans in Google's Functions Framework: one Spring Boot application
 * per function instance, and the caller of an HTTP function from a verified Google-signed
 * token.
 */
@NullMarked
package dev.skyfold.gcp.functions;

import org.jspecify.annotations.NullMarked;
