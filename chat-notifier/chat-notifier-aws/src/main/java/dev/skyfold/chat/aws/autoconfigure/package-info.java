/**
 * Makes the chat's functions Lambda functions: the AWS-event functions under the contract
 * names, the DynamoDB store and the FCM key from Secrets Manager.
 */
@NullMarked
package dev.skyfold.chat.aws.autoconfigure;

import org.jspecify.annotations.NullMarked;
