/**
 * Local stand-ins for AWS services that have no emulator among the project's tools,
 * speaking their wire protocols on loopback so that the real AWS SDK can call them.
 */
@NullMarked
package dev.skyfold.testsupport.loopback.aws;

import org.jspecify.annotations.NullMarked;
