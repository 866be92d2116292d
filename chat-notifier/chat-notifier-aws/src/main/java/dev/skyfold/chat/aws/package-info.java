/**
 * The chat notifier's Lambda application: the main class Spring Cloud Function's
 * FunctionInvoker starts in the shaded jar.
 */
@NullMarked
package dev.skyfold.chat.aws;

import org.jspecify.annotations.NullMarked;
