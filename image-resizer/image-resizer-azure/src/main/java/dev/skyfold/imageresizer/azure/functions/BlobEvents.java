package dev.skyfold.imageresizer.azure.functions;

import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.event.EventJson;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads the blobs that Event Grid says were created or deleted, from an event in the
 * Event Grid schema ({@code eventType}) or the CloudEvents 1.0 schema ({@code type}), or
 * an array of them, as a Functions Event Grid trigger receives them.
 * <p>
 * The container and blob name come from the {@code subject},
 * {@code /blobServices/default/containers/<container>/blobs/<name>}, which carries the
 * name as it is; when there is no such subject, from {@code data.url}, whose path is
 * percent-encoded: it is decoded as a URL path, so a {@code +} stays a {@code +}. Events
 * of {@value #BLOB_DELETED} are {@link ObjectEvent.Removed}, of other types
 * {@link ObjectEvent.Ignored}; an event that names no blob is
 * {@link ObjectEvent.Invalid}, and the other events of an array still count. Reasons name
 * the event's {@code id}.
 */
public final class BlobEvents {

	/** The event type of a new or replaced blob. */
	public static final String BLOB_CREATED = "Microsoft.Storage.BlobCreated";

	/** The event type of a deleted blob, whose thumbnails go with it. */
	public static final String BLOB_DELETED = "Microsoft.Storage.BlobDeleted";

	/** The leading slash is optional: CloudEvents samples of blob events leave it out. */
	private static final Pattern SUBJECT = Pattern.compile("/?blobServices/default/containers/([^/]+)/blobs/(.+)",
			Pattern.DOTALL);

	private static final Pattern PERCENT = Pattern.compile("%[0-9A-Fa-f]{2}");

	private BlobEvents() {
	}

	/**
	 * Reads an event, or an array of events.
	 * @param event the JSON that the trigger received
	 * @return one entry per event, in order
	 * @throws RejectedInputException when it is not JSON, or neither an object nor an
	 * array of objects
	 */
	public static List<ObjectEvent> read(String event) {
		JsonNode root = EventJson.read(event);
		if (root != null && root.isObject()) {
			return List.of(entry(root));
		}
		if (root != null && root.isArray()) {
			List<ObjectEvent> entries = new ArrayList<>();
			for (JsonNode item : root.values()) {
				entries.add(item.isObject() ? entry(item)
						: new ObjectEvent.Invalid(null, null, "an event is not a JSON object"));
			}
			return entries;
		}
		throw new RejectedInputException(Rejection.INVALID, "The event is neither a JSON object nor an array");
	}

	private static ObjectEvent entry(JsonNode event) {
		String id = text(event.path("id"));
		String type = (event.has("eventType")) ? text(event.path("eventType")) : text(event.path("type"));
		JsonNode data = event.path("data");
		String subject = text(event.path("subject"));
		String[] location = (subject != null) ? fromSubject(subject) : null;
		String container = (location != null) ? location[0] : null;
		String name = (location != null) ? location[1] : null;
		if (type == null) {
			return new ObjectEvent.Invalid(container, name,
					about(id, "the event has no type (neither 'eventType' nor CloudEvents 'type')"));
		}
		if (!BLOB_CREATED.equals(type) && !BLOB_DELETED.equals(type)) {
			return new ObjectEvent.Ignored(container, name,
					about(id, type + " is neither " + BLOB_CREATED + " nor " + BLOB_DELETED));
		}
		if (location == null) {
			String url = text(data.path("url"));
			if (url == null) {
				return new ObjectEvent.Invalid(null, null, about(id,
						"the event names no blob: no subject /blobServices/default/containers/<container>/blobs/<name>"
								+ " and no data.url"));
			}
			try {
				location = fromUrl(url);
			}
			catch (IllegalArgumentException ex) {
				return new ObjectEvent.Invalid(null, null, about(id, ex.getMessage()));
			}
		}
		if (BLOB_DELETED.equals(type)) {
			return new ObjectEvent.Removed(location[0], location[1]);
		}
		Long size = data.path("contentLength").isIntegralNumber() ? data.path("contentLength").asLong() : null;
		try {
			return new ObjectEvent.Created(
					new ObjectCreated(location[0], location[1], size, text(data.path("contentType"))));
		}
		catch (RejectedInputException ex) {
			return new ObjectEvent.Invalid(location[0], location[1], about(id, ex.getMessage()));
		}
	}

	/** A reason that names its event, for the logs: Event Grid's ids find it again. */
	private static String about(@Nullable String id, @Nullable String reason) {
		return (id != null) ? "event " + id + ": " + reason : String.valueOf(reason);
	}

	private static String @Nullable [] fromSubject(String subject) {
		Matcher matcher = SUBJECT.matcher(subject);
		return matcher.matches() ? new String[] { matcher.group(1), matcher.group(2) } : null;
	}

	/**
	 * The container and blob name of a blob URL: the path's first two segments after the
	 * account, which is the host's first label ({@code <account>.blob.core.windows.net})
	 * or, for an emulator such as Azurite, the path's first segment.
	 */
	private static String[] fromUrl(String url) {
		URI uri;
		try {
			uri = new URI(url);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("data.url is not a URL: " + url);
		}
		String path = uri.getRawPath();
		String host = uri.getHost();
		if (path == null || host == null) {
			throw new IllegalArgumentException("data.url is not a blob URL: " + url);
		}
		String rest = path.startsWith("/") ? path.substring(1) : path;
		boolean pathStyle = host.equals("localhost") || host.equals("host.docker.internal")
				|| host.matches("[0-9.]+|\\[.*]");
		if (pathStyle) {
			int account = rest.indexOf('/');
			rest = (account >= 0) ? rest.substring(account + 1) : "";
		}
		int slash = rest.indexOf('/');
		if (slash <= 0 || slash == rest.length() - 1) {
			throw new IllegalArgumentException("data.url names no container and blob: " + url);
		}
		return new String[] { decodePath(rest.substring(0, slash)), decodePath(rest.substring(slash + 1)) };
	}

	/**
	 * Decodes the percent-encoded octets of a URL path as UTF-8; unlike form decoding, a
	 * {@code +} is a {@code +}.
	 */
	static String decodePath(String raw) {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		for (int i = 0; i < raw.length();) {
			char c = raw.charAt(i);
			if (c == '%') {
				if (i + 3 > raw.length() || !PERCENT.matcher(raw.substring(i, i + 3)).matches()) {
					throw new IllegalArgumentException("data.url has a malformed percent-encoding: " + raw);
				}
				bytes.write(Integer.parseInt(raw.substring(i + 1, i + 3), 16));
				i += 3;
			}
			else {
				int end = i + Character.charCount(raw.codePointAt(i));
				bytes.writeBytes(raw.substring(i, end).getBytes(StandardCharsets.UTF_8));
				i = end;
			}
		}
		try {
			return StandardCharsets.UTF_8.newDecoder()
				.onMalformedInput(CodingErrorAction.REPORT)
				.onUnmappableCharacter(CodingErrorAction.REPORT)
				.decode(ByteBuffer.wrap(bytes.toByteArray()))
				.toString();
		}
		catch (CharacterCodingException ex) {
			throw new IllegalArgumentException("data.url does not encode its path as UTF-8: " + raw);
		}
	}

	private static @Nullable String text(JsonNode node) {
		return (node.isString() && !node.asString().isEmpty()) ? node.asString() : null;
	}

}
