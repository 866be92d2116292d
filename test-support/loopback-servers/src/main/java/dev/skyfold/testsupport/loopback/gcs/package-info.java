/**
 * A local stand-in for Google Cloud Storage: a server speaking the part of the Cloud
 * Storage JSON API that the official Java client uses for objects, so that tests can run
 * the real client on loopback.
 */
@NullMarked
package dev.skyfold.testsupport.loopback.gcs;

import org.jspecify.annotations.NullMarked;
