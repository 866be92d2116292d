/**
 * JUnit extensions that start real servers (PostgreSQL, Redis, S3Mock, dynalite, Azurite,
 * Keycloak) on loopback for the integration tests of every module, and the lookups of the
 * tools and documented settings that tests depend on.
 */
@NullMarked
package dev.skyfold.testsupport.loopback;

import org.jspecify.annotations.NullMarked;
