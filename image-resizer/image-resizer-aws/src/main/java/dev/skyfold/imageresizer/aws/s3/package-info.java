/**
 * The resizer's object store in Amazon S3, or any server that speaks its API.
 */
@NullMarked
package dev.skyfold.imageresizer.aws.s3;

import org.jspecify.annotations.NullMarked;
