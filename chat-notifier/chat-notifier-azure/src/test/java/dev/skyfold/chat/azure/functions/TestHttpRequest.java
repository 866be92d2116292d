package dev.skyfold.chat.azure.functions;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import com.microsoft.azure.functions.HttpMethod;
import com.microsoft.azure.functions.HttpRequestMessage;
import com.microsoft.azure.functions.HttpResponseMessage;
import com.microsoft.azure.functions.HttpStatus;
import com.microsoft.azure.functions.HttpStatusType;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * An HTTP request as the Azure Functions Java worker hands it to an HTTP-triggered
 * function ({@code HttpRequestMessage<Optional<String>>}), read from a sample under
 * {@code src/test/resources/events/}: {@code method}, {@code url}, {@code headers},
 * {@code query} and {@code body} (a string, or absent).
 */
public final class TestHttpRequest implements HttpRequestMessage<Optional<String>> {

	private static final JsonMapper json = JsonMapper.builder().build();

	private final HttpMethod method;

	private final URI uri;

	private final Map<String, String> headers;

	private final Map<String, String> query;

	private final @Nullable String body;

	public TestHttpRequest(HttpMethod method, URI uri, Map<String, String> headers, Map<String, String> query,
			@Nullable String body) {
		this.method = method;
		this.uri = uri;
		this.headers = headers;
		this.query = query;
		this.body = body;
	}

	/**
	 * Reads a sample request.
	 * @param name the file under {@code events/}
	 * @return the request
	 */
	public static TestHttpRequest sample(String name) {
		try (InputStream in = TestHttpRequest.class.getResourceAsStream("/events/" + name)) {
			if (in == null) {
				throw new IllegalArgumentException("No sample events/" + name);
			}
			return fromJson(json.readTree(in));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * A request from its JSON description.
	 * @param node {@code method}, {@code url}, {@code headers}, {@code query},
	 * {@code body}
	 * @return the request
	 */
	public static TestHttpRequest fromJson(JsonNode node) {
		return new TestHttpRequest(HttpMethod.value(node.path("method").asString()),
				URI.create(node.path("url").asString()), strings(node.path("headers")), strings(node.path("query")),
				node.hasNonNull("body") ? node.get("body").asString() : null);
	}

	/**
	 * This request with another body.
	 * @param body the body
	 * @return the new request
	 */
	public TestHttpRequest withBody(@Nullable String body) {
		return new TestHttpRequest(this.method, this.uri, this.headers, this.query, body);
	}

	/**
	 * This request with another header.
	 * @param name the header's name
	 * @param value its value
	 * @return the new request
	 */
	public TestHttpRequest withHeader(String name, String value) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.put(name, value);
		return new TestHttpRequest(this.method, this.uri, headers, this.query, this.body);
	}

	/**
	 * This request without a header, whatever the case of its name.
	 * @param name the header's name
	 * @return the new request
	 */
	public TestHttpRequest withoutHeader(String name) {
		Map<String, String> headers = new LinkedHashMap<>(this.headers);
		headers.keySet().removeIf(name::equalsIgnoreCase);
		return new TestHttpRequest(this.method, this.uri, headers, this.query, this.body);
	}

	/**
	 * This request with another query parameter.
	 * @param name the parameter
	 * @param value its value
	 * @return the new request
	 */
	public TestHttpRequest withQuery(String name, String value) {
		Map<String, String> query = new LinkedHashMap<>(this.query);
		query.put(name, value);
		return new TestHttpRequest(this.method, this.uri, this.headers, query, this.body);
	}

	@Override
	public URI getUri() {
		return this.uri;
	}

	@Override
	public HttpMethod getHttpMethod() {
		return this.method;
	}

	@Override
	public Map<String, String> getHeaders() {
		return this.headers;
	}

	@Override
	public Map<String, String> getQueryParameters() {
		return this.query;
	}

	@Override
	public Optional<String> getBody() {
		return Optional.ofNullable(this.body);
	}

	@Override
	public HttpResponseMessage.Builder createResponseBuilder(HttpStatus status) {
		return new Response.Builder(status);
	}

	@Override
	public HttpResponseMessage.Builder createResponseBuilder(HttpStatusType status) {
		return new Response.Builder(status);
	}

	private static Map<String, String> strings(JsonNode node) {
		Map<String, String> values = new LinkedHashMap<>();
		node.properties().forEach((entry) -> values.put(entry.getKey(), entry.getValue().asString()));
		return values;
	}

	/**
	 * The response a function built, as the worker would send it.
	 *
	 * @param status the status
	 * @param headers the headers, by name as the function set them
	 * @param body the body
	 */
	public record Response(HttpStatusType status, Map<String, String> headers,
			@Nullable Object body) implements HttpResponseMessage {

		@Override
		public HttpStatusType getStatus() {
			return this.status;
		}

		@Override
		public @Nullable String getHeader(String name) {
			return this.headers.get(name);
		}

		@Override
		public @Nullable Object getBody() {
			return this.body;
		}

		/**
		 * The body as JSON.
		 * @return the parsed body
		 */
		public JsonNode json() {
			return json.readTree(String.valueOf(this.body));
		}

		static final class Builder implements HttpResponseMessage.Builder {

			private HttpStatusType status;

			private final Map<String, String> headers = new LinkedHashMap<>();

			private @Nullable Object body;

			Builder(HttpStatusType status) {
				this.status = status;
			}

			@Override
			public HttpResponseMessage.Builder status(HttpStatusType status) {
				this.status = status;
				return this;
			}

			@Override
			public HttpResponseMessage.Builder header(String name, String value) {
				this.headers.put(name, value);
				return this;
			}

			@Override
			public HttpResponseMessage.Builder body(@Nullable Object body) {
				this.body = body;
				return this;
			}

			@Override
			public HttpResponseMessage build() {
				return new Response(this.status, Map.copyOf(this.headers), this.body);
			}

		}

	}

}
