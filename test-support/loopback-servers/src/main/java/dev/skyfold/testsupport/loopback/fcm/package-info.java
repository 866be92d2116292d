/**
 * A local stand-in for Firebase Cloud Messaging: a server speaking FCM HTTP v1 and
 * Google's token endpoint, and a made-up service account whose key file points at it, so
 * that the real Firebase Admin SDK can send to it.
 */
@NullMarked
package dev.skyfold.testsupport.loopback.fcm;

import org.jspecify.annotations.NullMarked;
