/**
 * A local stand-in for Google's token issuers: keys published on loopback and ID tokens
 * signed with them, for the Google Cloud functions' tests.
 */
@NullMarked
package dev.skyfold.testsupport.loopback.google;

import org.jspecify.annotations.NullMarked;
