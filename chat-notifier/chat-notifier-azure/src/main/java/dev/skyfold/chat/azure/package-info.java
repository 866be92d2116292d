/**
 * The chat notifier as an Azure Functions app: its Spring Boot application.
 */
@NullMarked
package dev.skyfold.chat.azure;

import org.jspecify.annotations.NullMarked;
