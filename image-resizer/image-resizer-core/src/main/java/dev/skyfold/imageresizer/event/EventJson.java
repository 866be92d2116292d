package dev.skyfold.imageresizer.event;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Reads the JSON of a storage event as a platform delivers it (an S3 notification, an
 * Event Grid delivery), for the hosts that map it onto
 * {@link dev.skyfold.imageresizer.domain.ObjectEvent}s: input that is not JSON is bad
 * input, refused the same way everywhere.
 */
public final class EventJson {

	private static final JsonMapper json = JsonMapper.shared();

	private EventJson() {
	}

	/**
	 * Reads an event's JSON.
	 * @param event the event, as UTF-8 bytes
	 * @return its tree
	 * @throws RejectedInputException when it is not JSON
	 */
	public static JsonNode read(byte[] event) {
		try {
			return json.readTree(event);
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	/**
	 * Reads an event's JSON.
	 * @param event the event's text
	 * @return its tree
	 * @throws RejectedInputException when it is not JSON
	 */
	public static JsonNode read(String event) {
		try {
			return json.readTree(event);
		}
		catch (JacksonException ex) {
			throw notJson(ex);
		}
	}

	private static RejectedInputException notJson(JacksonException ex) {
		return new RejectedInputException(Rejection.INVALID, "The event is not JSON: " + ex.getOriginalMessage(), ex);
	}

}
