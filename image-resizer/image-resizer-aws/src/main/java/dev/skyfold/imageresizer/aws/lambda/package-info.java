/**
 * The Lambda side of {@code resizeImage}: S3 and EventBridge events in, one resize per
 * record, failures reported so that Lambda retries only when a retry can help.
 */
@NullMarked
package dev.skyfold.imageresizer.aws.lambda;

import org.jspecify.annotations.NullMarked;
