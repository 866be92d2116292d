/**
 * Brings Lambda priming into the function's Spring Boot application.
 */
@NullMarked
package dev.skyfold.aws.lambda.autoconfigure;

import org.jspecify.annotations.NullMarked;
