package dev.skyfold.imageresizer.domain;

/**
 * A thumbnail the resizer wrote to the store.
 *
 * @param key where it was written
 * @param contentType its media type
 * @param size its size in bytes
 * @param width its width in pixels
 * @param height its height in pixels
 */
public record WrittenObject(String key, String contentType, long size, int width, int height) {
}
