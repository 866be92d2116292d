/**
 * Reads secrets, such as the FCM service-account key, from AWS Secrets Manager.
 */
@NullMarked
package dev.skyfold.chat.aws.secretsmanager;

import org.jspecify.annotations.NullMarked;
