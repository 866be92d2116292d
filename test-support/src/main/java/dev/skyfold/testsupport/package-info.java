/**
 * JUnit extensions that start real servers (PostgreSQL, Redis, S3Mock, dynalite, Azurite)
 * on loopback for the integration tests of every module.
 */
@NullMarked
package dev.skyfold.testsupport;

import org.jspecify.annotations.NullMarked;
