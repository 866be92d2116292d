/**
 * The image resizer packaged for AWS Lambda: the application that the Lambda jar starts.
 */
@NullMarked
package dev.skyfold.imageresizer.aws;

import org.jspecify.annotations.NullMarked;
