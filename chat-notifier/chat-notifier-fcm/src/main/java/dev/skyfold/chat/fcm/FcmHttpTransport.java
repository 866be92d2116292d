package dev.skyfold.chat.fcm;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpContent;
import com.google.api.client.http.HttpHeaders;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpRequestFactory;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.http.LowLevelHttpResponse;
import com.google.api.client.util.StreamingContent;
import org.jspecify.annotations.Nullable;

/**
 * The Firebase SDK's HTTP transport with two changes. Requests for {@value #FCM_ORIGIN}
 * (sends) and {@value #IID_ORIGIN} (the Instance ID API, which manages topic
 * subscriptions) go to another base URL when one is configured (the SDK hard-codes both
 * addresses). And an error response ends the SDK's request at once: the SDK would
 * otherwise retry a 503 up to four times (after 0.5, 1, 2 and 4 s, or as long as
 * Retry-After asks, up to a minute), underneath the bounded retries of the chat's
 * broadcast service. A 401 still reaches the SDK, which answers it by fetching a new
 * token.
 * <p>
 * Each request is forwarded through the wrapped transport's public request API, since a
 * transport's low-level requests cannot be built from outside its package.
 */
final class FcmHttpTransport extends HttpTransport {

	static final String FCM_ORIGIN = "https://fcm.googleapis.com";

	static final String IID_ORIGIN = "https://iid.googleapis.com";

	private static final List<String> ORIGINS = List.of(FCM_ORIGIN, IID_ORIGIN);

	private final HttpTransport delegate;

	private final HttpRequestFactory requests;

	private final @Nullable String baseUrl;

	/**
	 * Wraps a transport.
	 * @param delegate the transport that carries the requests
	 * @param baseUrl where to send FCM requests instead of {@value #FCM_ORIGIN} and
	 * {@value #IID_ORIGIN}, if anywhere
	 */
	FcmHttpTransport(HttpTransport delegate, @Nullable URI baseUrl) {
		this.delegate = delegate;
		this.requests = delegate.createRequestFactory();
		String base = (baseUrl != null) ? baseUrl.toString() : null;
		while (base != null && base.endsWith("/")) {
			base = base.substring(0, base.length() - 1);
		}
		this.baseUrl = base;
	}

	@Override
	public boolean supportsMethod(String method) throws IOException {
		return this.delegate.supportsMethod(method);
	}

	@Override
	protected LowLevelHttpRequest buildRequest(String method, String url) {
		return new ForwardingRequest(method, rewrite(url));
	}

	/**
	 * Where a request for a URL goes.
	 * @param url the URL the SDK asks for
	 * @return the URL, with {@value #FCM_ORIGIN} or {@value #IID_ORIGIN} replaced by the
	 * base URL if one is set
	 */
	String rewrite(String url) {
		if (this.baseUrl == null) {
			return url;
		}
		for (String origin : ORIGINS) {
			if (url.equals(origin) || url.startsWith(origin + "/")) {
				return this.baseUrl + url.substring(origin.length());
			}
		}
		return url;
	}

	private final class ForwardingRequest extends LowLevelHttpRequest {

		private final String method;

		private final String url;

		private final Map<String, List<String>> headers = new LinkedHashMap<>();

		private int connectTimeout;

		private int readTimeout;

		private int writeTimeout;

		ForwardingRequest(String method, String url) {
			this.method = method;
			this.url = url;
		}

		@Override
		public void addHeader(String name, String value) {
			this.headers.computeIfAbsent(name, (key) -> new ArrayList<>()).add(value);
		}

		@Override
		public void setTimeout(int connectTimeout, int readTimeout) {
			this.connectTimeout = connectTimeout;
			this.readTimeout = readTimeout;
		}

		@Override
		public void setWriteTimeout(int writeTimeout) {
			this.writeTimeout = writeTimeout;
		}

		@Override
		public LowLevelHttpResponse execute() throws IOException {
			HttpHeaders forwarded = new HttpHeaders();
			this.headers.forEach(forwarded::set);
			String contentEncoding = getContentEncoding();
			if (contentEncoding != null) {
				forwarded.setContentEncoding(contentEncoding);
			}
			StreamingContent streaming = getStreamingContent();
			HttpRequest request = FcmHttpTransport.this.requests
				.buildRequest(this.method, new GenericUrl(this.url),
						(streaming != null) ? new ForwardedContent(getContentType(), getContentLength(), streaming)
								: null)
				.setHeaders(forwarded)
				.setConnectTimeout(this.connectTimeout)
				.setReadTimeout(this.readTimeout)
				.setWriteTimeout(this.writeTimeout)
				.setNumberOfRetries(0)
				.setFollowRedirects(false)
				.setThrowExceptionOnExecuteError(false)
				.setSuppressUserAgentSuffix(true);
			HttpResponse response = request.execute();
			int status = response.getStatusCode();
			if (status >= 400 && status != 401) {
				try {
					// What the SDK's request throws once it has given up.
					throw new HttpResponseException(response);
				}
				finally {
					response.disconnect();
				}
			}
			return new ForwardedResponse(response);
		}

	}

	private record ForwardedContent(@Nullable String type, long length,
			StreamingContent content) implements HttpContent {

		@Override
		public long getLength() {
			return this.length;
		}

		@Override
		public @Nullable String getType() {
			return this.type;
		}

		@Override
		public boolean retrySupported() {
			return false;
		}

		@Override
		public void writeTo(OutputStream out) throws IOException {
			this.content.writeTo(out);
		}

	}

	/**
	 * A response as the wrapped transport decoded it: the content is already inflated, so
	 * the encoding and length headers are left out.
	 */
	private static final class ForwardedResponse extends LowLevelHttpResponse {

		private final HttpResponse response;

		private final List<String> names = new ArrayList<>();

		private final List<String> values = new ArrayList<>();

		ForwardedResponse(HttpResponse response) {
			this.response = response;
			for (Map.Entry<String, Object> header : response.getHeaders().entrySet()) {
				String name = header.getKey();
				if (name.equalsIgnoreCase("Content-Encoding") || name.equalsIgnoreCase("Content-Length")) {
					continue;
				}
				if (header.getValue() instanceof Iterable<?> repeated) {
					repeated.forEach((value) -> add(name, value));
				}
				else if (header.getValue() != null) {
					add(name, header.getValue());
				}
			}
		}

		private void add(String name, Object value) {
			this.names.add(name);
			this.values.add(value.toString());
		}

		@Override
		public @Nullable InputStream getContent() throws IOException {
			return this.response.getContent();
		}

		@Override
		public @Nullable String getContentEncoding() {
			return null;
		}

		@Override
		public long getContentLength() {
			return -1;
		}

		@Override
		public @Nullable String getContentType() {
			return this.response.getContentType();
		}

		@Override
		public String getStatusLine() {
			String reason = this.response.getStatusMessage();
			return this.response.getStatusCode() + ((reason != null) ? " " + reason : "");
		}

		@Override
		public int getStatusCode() {
			return this.response.getStatusCode();
		}

		@Override
		public @Nullable String getReasonPhrase() {
			return this.response.getStatusMessage();
		}

		@Override
		public int getHeaderCount() {
			return this.names.size();
		}

		@Override
		public String getHeaderName(int index) {
			return this.names.get(index);
		}

		@Override
		public String getHeaderValue(int index) {
			return this.values.get(index);
		}

		@Override
		public void disconnect() throws IOException {
			this.response.disconnect();
		}

	}

}
