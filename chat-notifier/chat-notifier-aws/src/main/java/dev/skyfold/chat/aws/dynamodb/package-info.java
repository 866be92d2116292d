/**
 * Chat messages in a DynamoDB table, one item per message, through the AWS SDK v2.
 */
@NullMarked
package dev.skyfold.chat.aws.dynamodb;

import org.jspecify.annotations.NullMarked;
