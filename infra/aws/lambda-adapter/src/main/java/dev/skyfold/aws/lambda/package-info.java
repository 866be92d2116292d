/**
 * The Lambda handler every Skyfold function runs behind.
 */
@NullMarked
package dev.skyfold.aws.lambda;

import org.jspecify.annotations.NullMarked;
