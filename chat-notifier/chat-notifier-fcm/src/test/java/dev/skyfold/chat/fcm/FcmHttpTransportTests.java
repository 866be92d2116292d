package dev.skyfold.chat.fcm;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.GZIPOutputStream;

import com.google.api.client.http.ByteArrayContent;
import com.google.api.client.http.GenericUrl;
import com.google.api.client.http.HttpRequest;
import com.google.api.client.http.HttpResponse;
import com.google.api.client.http.HttpResponseException;
import com.google.api.client.http.HttpTransport;
import com.google.api.client.http.LowLevelHttpRequest;
import com.google.api.client.testing.http.MockHttpTransport;
import com.google.api.client.testing.http.MockLowLevelHttpRequest;
import com.google.api.client.testing.http.MockLowLevelHttpResponse;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link FcmHttpTransport} redirects FCM requests and cuts the SDK's retries short,
 * against a scripted transport.
 */
class FcmHttpTransportTests {

	private static final String SEND_URL = "https://fcm.googleapis.com/v1/projects/p/messages:send";

	private static final String BODY = "{\"message\":{\"topic\":\"general\"}}";

	@Test
	void sendsFcmRequestsToTheBaseUrlWithTheirHeadersAndBody() throws IOException {
		ScriptedTransport delegate = new ScriptedTransport(ok());
		FcmHttpTransport transport = new FcmHttpTransport(delegate, URI.create("http://127.0.0.1:9099/emulator/"));

		HttpRequest request = post(transport, SEND_URL);
		request.getHeaders().setAuthorization("Bearer abc").set("X-Firebase-Client", "fire-admin-java/9.10.0");
		request.execute();

		assertThat(delegate.requests).hasSize(1);
		MockLowLevelHttpRequest sent = delegate.requests.get(0);
		assertThat(sent.getUrl()).isEqualTo("http://127.0.0.1:9099/emulator/v1/projects/p/messages:send");
		assertThat(sent.getFirstHeaderValue("Authorization")).isEqualTo("Bearer abc");
		assertThat(sent.getFirstHeaderValue("X-Firebase-Client")).isEqualTo("fire-admin-java/9.10.0");
		assertThat(sent.getContentType()).isEqualTo("application/json; charset=UTF-8");
		assertThat(sent.getContentAsString()).isEqualTo(BODY);
	}

	@Test
	void leavesOtherHostsAlone() {
		FcmHttpTransport transport = new FcmHttpTransport(new ScriptedTransport(ok()),
				URI.create("http://127.0.0.1:9099"));

		assertThat(transport.rewrite("https://oauth2.googleapis.com/token"))
			.isEqualTo("https://oauth2.googleapis.com/token");
		assertThat(transport.rewrite("https://fcm.googleapis.com.example.org/v1"))
			.isEqualTo("https://fcm.googleapis.com.example.org/v1");
		assertThat(transport.rewrite(SEND_URL)).isEqualTo("http://127.0.0.1:9099/v1/projects/p/messages:send");
	}

	@Test
	void sendsTopicManagementRequestsOfTheInstanceIdApiToTheBaseUrlToo() {
		FcmHttpTransport transport = new FcmHttpTransport(new ScriptedTransport(ok()),
				URI.create("http://127.0.0.1:9099/"));

		assertThat(transport.rewrite(FcmHttpTransport.IID_ORIGIN + "/iid/v1:batchAdd"))
			.isEqualTo("http://127.0.0.1:9099/iid/v1:batchAdd");
		assertThat(transport.rewrite(FcmHttpTransport.IID_ORIGIN + "/iid/v1:batchRemove"))
			.isEqualTo("http://127.0.0.1:9099/iid/v1:batchRemove");
	}

	@Test
	void leavesTheInstanceIdApiAloneWithoutABaseUrl() {
		FcmHttpTransport transport = new FcmHttpTransport(new ScriptedTransport(ok()), null);

		assertThat(transport.rewrite(FcmHttpTransport.IID_ORIGIN + "/iid/v1:batchAdd"))
			.isEqualTo(FcmHttpTransport.IID_ORIGIN + "/iid/v1:batchAdd");
	}

	@Test
	void leavesFcmAloneWithoutABaseUrl() {
		FcmHttpTransport transport = new FcmHttpTransport(new ScriptedTransport(ok()), null);

		assertThat(transport.rewrite(SEND_URL)).isEqualTo(SEND_URL);
	}

	@Test
	void sdkStyleRequestsRetryAnErrorResponseOnAPlainTransport() throws IOException {
		ScriptedTransport plain = new ScriptedTransport(unavailable(), ok());

		HttpResponse response = retryingLikeTheSdk(post(plain, SEND_URL)).execute();

		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(plain.requests).hasSize(2);
	}

	@Test
	void endsTheRequestAtTheFirstErrorResponseDespiteTheSdksRetries() throws IOException {
		ScriptedTransport delegate = new ScriptedTransport(unavailable(), ok());
		HttpRequest request = retryingLikeTheSdk(post(new FcmHttpTransport(delegate, null), SEND_URL));

		assertThatExceptionOfType(HttpResponseException.class).isThrownBy(request::execute).satisfies((ex) -> {
			assertThat(ex.getStatusCode()).isEqualTo(503);
			assertThat(ex.getContent()).contains("\"status\":\"UNAVAILABLE\"");
			assertThat(ex.getHeaders().getRetryAfter()).isEqualTo("1");
		});
		assertThat(delegate.requests).hasSize(1);
	}

	@Test
	void letsTheCredentialsAnswerAnUnauthorisedResponseWithANewToken() throws IOException {
		ScriptedTransport delegate = new ScriptedTransport(
				new MockLowLevelHttpResponse().setStatusCode(401).setContent("{}"), ok());
		HttpRequest request = retryingLikeTheSdk(post(new FcmHttpTransport(delegate, null), SEND_URL));

		HttpResponse response = request.execute();

		assertThat(response.getStatusCode()).isEqualTo(200);
		assertThat(delegate.requests).hasSize(2);
	}

	@Test
	void handsBackAGzippedAnswerDecodedOnce() throws IOException {
		String answer = "{\"name\":\"projects/p/messages/1\"}";
		ScriptedTransport delegate = new ScriptedTransport(new MockLowLevelHttpResponse().setStatusCode(200)
			.setContentType("application/json; charset=UTF-8")
			.setContentEncoding("gzip")
			.setContent(gzip(answer)));

		HttpResponse response = post(new FcmHttpTransport(delegate, null), SEND_URL).execute();

		assertThat(response.parseAsString()).isEqualTo(answer);
		assertThat(response.getContentType()).isEqualTo("application/json; charset=UTF-8");
	}

	@Test
	void passesTheSdksTimeoutsOn() throws IOException {
		ScriptedTransport delegate = new ScriptedTransport(ok());

		post(new FcmHttpTransport(delegate, null), SEND_URL).setConnectTimeout(1234)
			.setReadTimeout(5678)
			.setWriteTimeout(910)
			.execute();

		assertThat(delegate.timeouts).containsExactly(1234, 5678, 910);
	}

	private static HttpRequest post(HttpTransport transport, String url) throws IOException {
		return transport.createRequestFactory()
			.buildPostRequest(new GenericUrl(url),
					new ByteArrayContent("application/json; charset=UTF-8", BODY.getBytes(StandardCharsets.UTF_8)));
	}

	/**
	 * Configures a request the way the SDK's retry initializer does: retries, and a
	 * handler that asks for one after a 401 (new token) or a 503 (back-off).
	 */
	private static HttpRequest retryingLikeTheSdk(HttpRequest request) {
		return request.setNumberOfRetries(4)
			.setUnsuccessfulResponseHandler((req, response, supportsRetry) -> supportsRetry
					&& (response.getStatusCode() == 401 || response.getStatusCode() == 503));
	}

	private static MockLowLevelHttpResponse ok() {
		return new MockLowLevelHttpResponse().setStatusCode(200)
			.setContentType("application/json; charset=UTF-8")
			.setContent("{\"name\":\"projects/p/messages/1\"}");
	}

	private static MockLowLevelHttpResponse unavailable() {
		return new MockLowLevelHttpResponse().setStatusCode(503)
			.setReasonPhrase("Service Unavailable")
			.setContentType("application/json; charset=UTF-8")
			.addHeader("Retry-After", "1")
			.setContent("{\"error\":{\"code\":503,\"status\":\"UNAVAILABLE\"}}");
	}

	private static byte[] gzip(String text) throws IOException {
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (GZIPOutputStream out = new GZIPOutputStream(bytes)) {
			out.write(text.getBytes(StandardCharsets.UTF_8));
		}
		return bytes.toByteArray();
	}

	/**
	 * Answers requests with scripted responses, the last one repeating, and records them.
	 */
	private static final class ScriptedTransport extends MockHttpTransport {

		private final List<MockLowLevelHttpResponse> responses;

		private final List<MockLowLevelHttpRequest> requests = new ArrayList<>();

		private final List<Integer> timeouts = new ArrayList<>();

		ScriptedTransport(MockLowLevelHttpResponse... responses) {
			this.responses = Arrays.asList(responses);
		}

		@Override
		public LowLevelHttpRequest buildRequest(String method, String url) {
			MockLowLevelHttpRequest request = new MockLowLevelHttpRequest(url) {

				@Override
				public void setTimeout(int connectTimeout, int readTimeout) {
					ScriptedTransport.this.timeouts.add(connectTimeout);
					ScriptedTransport.this.timeouts.add(readTimeout);
				}

				@Override
				public void setWriteTimeout(int writeTimeout) {
					ScriptedTransport.this.timeouts.add(writeTimeout);
				}

			};
			request.setResponse(this.responses.get(Math.min(this.requests.size(), this.responses.size() - 1)));
			this.requests.add(request);
			return request;
		}

	}

}
