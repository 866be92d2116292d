package dev.skyfold.chat.aws.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.serialization.events.LambdaEventSerializers;

/**
 * The sample events under {@code src/test/resources/events}, read as Lambda's Java
 * runtime reads an event for a handler: with AWS's own event serializers.
 */
public final class Events {

	private Events() {
	}

	/**
	 * A sample event's JSON.
	 * @param name the file name under {@code events/}
	 * @return the JSON text
	 */
	public static String json(String name) {
		try (InputStream in = Events.class.getResourceAsStream("/events/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("No sample event " + name);
			}
			return new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Reads an event.
	 * @param <T> the event type
	 * @param json the event's JSON
	 * @param type the event type
	 * @return the event
	 */
	public static <T> T read(String json, Class<T> type) {
		return LambdaEventSerializers.serializerFor(type, Events.class.getClassLoader()).fromJson(json);
	}

	/**
	 * Reads a sample event.
	 * @param <T> the event type
	 * @param name the file name under {@code events/}
	 * @param type the event type
	 * @return the event
	 */
	public static <T> T load(String name, Class<T> type) {
		return read(json(name), type);
	}

}
