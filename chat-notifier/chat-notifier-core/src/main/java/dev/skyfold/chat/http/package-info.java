/**
 * What the chat's HTTP hosts answer alike, on plain strings: JSON request bodies, JSON
 * answers and RFC 9457 problems; each host only maps its platform's request and response.
 */
@NullMarked
package dev.skyfold.chat.http;

import org.jspecify.annotations.NullMarked;
