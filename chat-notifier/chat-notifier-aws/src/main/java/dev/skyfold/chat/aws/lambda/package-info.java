/**
 * The chat functions as Lambda sees them: API Gateway HTTP API (payload 2.0) requests and
 * DynamoDB stream batches mapped onto the core's services, and their answers mapped back.
 */
@NullMarked
package dev.skyfold.chat.aws.lambda;

import org.jspecify.annotations.NullMarked;
