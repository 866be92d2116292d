package dev.skyfold.chat.gcp.functions;

import java.nio.charset.StandardCharsets;
import java.util.function.Function;

import com.google.cloud.functions.CloudEventsFunction;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.MessageAttributes;
import dev.skyfold.kernel.RejectedInputException;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The {@code broadcastMessage} Google Cloud function on Firestore's
 * {@code google.cloud.firestore.document.v1.created} event for a message document (the
 * Eventarc trigger sends its data as JSON): the stored message is read back from the
 * document's fields and broadcast through the core's broadcast path. A document that is
 * not a message, or a message the core rejects, is logged and skipped, since another
 * delivery would not change it; a broadcast that failed transiently (after the core's own
 * retries) fails the event, so that a function deployed with {@code --retry} gets it
 * again.
 */
public class BroadcastMessageHandler implements CloudEventsFunction {

	private static final Logger log = LoggerFactory.getLogger(BroadcastMessageHandler.class);

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final Function<ChatMessage, BroadcastResult> broadcastMessage;

	/**
	 * Creates the handler.
	 * @param broadcastMessage the core's {@code broadcastMessage}
	 */
	public BroadcastMessageHandler(Function<ChatMessage, BroadcastResult> broadcastMessage) {
		this.broadcastMessage = broadcastMessage;
	}

	@Override
	public void accept(CloudEvent event) {
		JsonNode document = document(event.getData());
		String name = document.path("name").asString("?");
		ChatMessage message;
		BroadcastResult result;
		try {
			message = MessageAttributes.message((field) -> string(document, field));
			result = this.broadcastMessage.apply(message);
		}
		catch (RejectedInputException | IllegalArgumentException ex) {
			log.warn("Skipped {}: {}", name, ex.getMessage());
			return;
		}
		if (result.worthRetrying()) {
			throw new IllegalStateException("Broadcasting " + name + " failed for now through "
					+ result.failedTransiently() + "; failing the event for a retry");
		}
		log.info("Broadcast {} to {}", name, result.delivered());
	}

	private static JsonNode document(@Nullable CloudEventData data) {
		if (data == null) {
			return JSON.createObjectNode();
		}
		try {
			return JSON.readTree(new String(data.toBytes(), StandardCharsets.UTF_8)).path("value");
		}
		catch (JacksonException ex) {
			return JSON.createObjectNode();
		}
	}

	private static @Nullable String string(JsonNode document, String field) {
		JsonNode value = document.path("fields").path(field).path("stringValue");
		return value.isString() ? value.asString() : null;
	}

}
