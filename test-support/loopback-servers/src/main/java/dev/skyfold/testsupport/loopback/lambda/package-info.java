/**
 * Runs a packaged Lambda jar the way AWS Lambda does, with AWS's runtime interface client
 * polling a Lambda Runtime API that the test serves on loopback.
 */
@NullMarked
package dev.skyfold.testsupport.loopback.lambda;

import org.jspecify.annotations.NullMarked;
