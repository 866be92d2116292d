package dev.skyfold.testsupport.contract;

import java.util.ArrayList;
import java.util.List;

import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Reads the outcome of a storage-triggered {@code resizeImage} from what its handler
 * logged, for hosts whose trigger answers nothing (Azure's Event Grid trigger, Google's
 * CloudEvent function): one line per record,
 * {@code Resized <bucket>/<key> into [<keys>]}, {@code Skipped <bucket>/<key>: <reason>}
 * or {@code Rejected <bucket>/<key>: <reason>}.
 */
public final class ResizeLog {

	private ResizeLog() {
	}

	/**
	 * The outcome of one object's event.
	 * @param location the object, {@code <bucket>/<key>}
	 * @param messages the messages the handler logged for the event, without level or
	 * logger
	 * @return the answer; a failure when the messages hold no single outcome for the
	 * object
	 */
	public static Answer outcome(String location, List<String> messages) {
		List<Answer> outcomes = new ArrayList<>();
		for (String message : messages) {
			String resized = "Resized " + location + " into [";
			String skipped = "Skipped " + location + ": ";
			String rejected = "Rejected " + location + ": ";
			if (message.startsWith(resized) && message.endsWith("]")) {
				outcomes.add(resized(message.substring(resized.length(), message.length() - 1)));
			}
			else if (message.startsWith(skipped)) {
				outcomes.add(Answer.done(JsonNodeFactory.instance.objectNode()
					.put("outcome", "SKIPPED")
					.put("reason", message.substring(skipped.length()))));
			}
			else if (message.startsWith(rejected)) {
				outcomes.add(Answer.refused(Verdict.REJECTED, message.substring(rejected.length())));
			}
		}
		return (outcomes.size() == 1) ? outcomes.get(0)
				: Answer.refused(Verdict.FAILED, "No one outcome for " + location + " in the log: " + messages);
	}

	/**
	 * The keys written, logged as a list's {@code toString()}; the contract's keys hold
	 * no {@code ", "}.
	 */
	private static Answer resized(String keys) {
		ObjectNode result = JsonNodeFactory.instance.objectNode().put("outcome", "RESIZED");
		ArrayNode written = result.putArray("written");
		if (!keys.isEmpty()) {
			for (String key : keys.split(", ")) {
				written.add(key);
			}
		}
		return Answer.done(result);
	}

}
