/**
 * Brings the Lambda {@code resizeImage} function and the S3 store into a Spring Boot
 * host.
 */
@NullMarked
package dev.skyfold.imageresizer.aws.autoconfigure;

import org.jspecify.annotations.NullMarked;
