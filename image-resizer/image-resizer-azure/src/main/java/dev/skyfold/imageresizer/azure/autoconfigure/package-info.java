/**
 * Brings the Azure Blob store into a Spring Boot host.
 */
@NullMarked
package dev.skyfold.imageresizer.azure.autoconfigure;

import org.jspecify.annotations.NullMarked;
