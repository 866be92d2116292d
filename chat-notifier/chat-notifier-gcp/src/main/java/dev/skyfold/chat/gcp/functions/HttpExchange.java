package dev.skyfold.chat.gcp.functions;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;

import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;
import dev.skyfold.chat.http.HttpJson;
import dev.skyfold.chat.http.HttpReply;
import dev.skyfold.chat.http.VouchedCaller;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.kernel.access.BearerTokens;
import dev.skyfold.kernel.access.RoleClaims;
import org.jspecify.annotations.Nullable;

/**
 * One request to a chat HTTP function on Google Cloud, as every handler reads and answers
 * it: the caller from its verified token, the JSON body or query, and the answer as JSON
 * or a problem, with the same statuses as every host.
 */
final class HttpExchange {

	/** The largest body read: a message's text is at most 4,000 characters. */
	private static final int MAX_BODY = 1024 * 1024;

	private final HttpRequest request;

	private final HttpResponse response;

	HttpExchange(HttpRequest request, HttpResponse response) {
		this.request = request;
		this.response = response;
	}

	/**
	 * Whether the request uses the one method the function answers; otherwise it answers
	 * 405 with {@code Allow}.
	 */
	boolean allows(String method) {
		if (method.equalsIgnoreCase(this.request.getMethod())) {
			return true;
		}
		this.response.appendHeader("Allow", method);
		send(HttpJson.problem(405, "Method Not Allowed",
				"This function answers " + method + " only, not " + this.request.getMethod()));
		return false;
	}

	VouchedCaller caller(BearerTokens tokens, RoleClaims roles) {
		Map<String, Object> claims = tokens.claims(this.request.getFirstHeader("Authorization").orElse(null));
		return VouchedCaller.of(claims, roles);
	}

	<T> T json(Class<T> type) {
		return HttpJson.read(this.request.getContentType().orElse(null), this::body, type);
	}

	@Nullable String query(String name) {
		return this.request.getFirstQueryParameter(name).orElse(null);
	}

	void send(HttpReply reply) {
		this.response.setStatusCode(reply.status());
		this.response.setContentType(reply.contentType());
		try {
			BufferedWriter writer = this.response.getWriter();
			writer.write(reply.body());
			writer.flush();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	void fail(RuntimeException failure, String function) {
		send(HttpJson.failure(failure, function, this.request.getFirstHeader("Function-Execution-Id").orElse(null)));
	}

	private String body() {
		try {
			byte[] body = this.request.getInputStream().readNBytes(MAX_BODY + 1);
			if (body.length > MAX_BODY) {
				throw new RejectedInputException(Rejection.TOO_LARGE,
						"The body is over " + MAX_BODY + " bytes; a message's text is at most 4000 characters");
			}
			return new String(body, StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
