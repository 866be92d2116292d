package dev.skyfold.testsupport.contract;

import java.nio.charset.StandardCharsets;
import java.util.Locale;

import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

/**
 * What a host answered to one call, turned by its driver into the contract's neutral
 * form. The function's result is neutral JSON (the domain records' fields); a refusal has
 * a detail; an HTTP host also gives its status and content type, which the contract
 * checks too.
 *
 * @param verdict what became of the call
 * @param status the HTTP status, or {@code null} where the host does not answer over HTTP
 * @param contentType the answer's content type, or {@code null} where there is none
 * @param body the result (or the problem) as JSON, or a JSON null when there is none
 * @param bytes the raw answer, for binary results such as a thumbnail
 */
public record Answer(Verdict verdict, @Nullable Integer status, @Nullable String contentType, JsonNode body,
		byte[] bytes) {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	/**
	 * An accepted call's result.
	 * @param result the result as JSON
	 * @return the answer
	 */
	public static Answer done(JsonNode result) {
		return new Answer(Verdict.DONE, null, null, result, new byte[0]);
	}

	/**
	 * An accepted call whose result is bytes, described by JSON (e.g. a thumbnail's
	 * content type, width and height).
	 * @param bytes the bytes
	 * @param description what the bytes are
	 * @return the answer
	 */
	public static Answer done(byte[] bytes, JsonNode description) {
		return new Answer(Verdict.DONE, null, null, description, bytes.clone());
	}

	/**
	 * A call refused without an HTTP answer (an exception, an event trigger's log).
	 * @param verdict the kind of refusal
	 * @param detail what the host said
	 * @return the answer
	 */
	public static Answer refused(Verdict verdict, String detail) {
		return new Answer(verdict, null, null, JsonNodeFactory.instance.objectNode().put("detail", detail),
				new byte[0]);
	}

	/**
	 * An HTTP answer: its status gives the verdict, a JSON body (a result or a problem)
	 * is parsed, anything else is kept as bytes.
	 * @param status the status
	 * @param contentType the {@code Content-Type}, if any
	 * @param body the body
	 * @return the answer
	 */
	public static Answer http(int status, @Nullable String contentType, byte[] body) {
		JsonNode json = JsonNodeFactory.instance.nullNode();
		if (contentType != null && contentType.toLowerCase(Locale.ROOT).contains("json") && body.length > 0) {
			try {
				json = JSON.readTree(body);
			}
			catch (JacksonException ex) {
				json = JsonNodeFactory.instance.textNode(new String(body, StandardCharsets.UTF_8));
			}
		}
		return new Answer(Verdict.ofStatus(status), status, contentType, json, body.clone());
	}

	/**
	 * Parses JSON text, for drivers that get their host's answer as text.
	 * @param json the text
	 * @return the tree
	 */
	public static JsonNode json(String json) {
		return JSON.readTree(json);
	}

	/**
	 * What a refusal said: a problem's {@code detail}, or an event trigger's reason.
	 * @return the detail, or an empty string
	 */
	public String detail() {
		return this.body.path("detail").asString("");
	}

	@Override
	public String toString() {
		return this.verdict + ((this.status != null) ? " (HTTP " + this.status + ")" : "") + ": "
				+ ((this.body.isNull() && this.bytes.length > 0) ? this.bytes.length + " bytes" : this.body);
	}

}
