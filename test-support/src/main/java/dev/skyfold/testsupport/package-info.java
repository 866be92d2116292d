/**
 * JUnit extensions that start real servers (PostgreSQL, Redis, S3Mock, dynalite, Azurite)
 * on loopback for the integration tests of every module, and the architecture rules that
 * every module's {@code ArchitectureTests} inherits.
 */
@NullMarked
package dev.skyfold.testsupport;

import org.jspecify.annotations.NullMarked;
