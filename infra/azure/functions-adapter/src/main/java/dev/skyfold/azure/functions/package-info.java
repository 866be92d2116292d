/**
 * The thin Azure Functions adapter: the Java worker gets its handler instances from one
 * Spring Boot application, so that {@code @FunctionName} methods call the same
 * {@code Function} beans as every other host.
 */
@NullMarked
package dev.skyfold.azure.functions;

import org.jspecify.annotations.NullMarked;
