package dev.skyfold.local.security;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.web.RequestBodies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.http.HttpHeaders;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Posts every message under the signed-in caller's name: the body of a
 * {@code POST /fn/postMessage} gets its {@code author} from the caller, whatever it said.
 * A body that is not a JSON object goes on untouched, for the function to refuse.
 */
@Component
class SignedInAuthorFilter extends OncePerRequestFilter {

	private final JsonMapper json;

	private final LocalProperties properties;

	private final String path;

	SignedInAuthorFilter(JsonMapper json, LocalProperties properties,
			@Value("${spring.cloud.function.web.path:}") String prefix) {
		this.json = json;
		this.properties = properties;
		this.path = (prefix.endsWith("/") ? prefix : prefix + "/") + PostMessageFunction.NAME;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		return !"POST".equals(request.getMethod()) || !path.equals(this.path);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (caller == null || !new AuthenticationTrustResolverImpl().isAuthenticated(caller)) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = RequestBodies.read(request, this.properties.maxBodySize());
		chain.doFilter(new Body(request, signed(body, Caller.of(caller).name())), response);
	}

	private byte[] signed(byte[] body, String author) {
		try {
			JsonNode message = this.json.readTree(body);
			if (message instanceof ObjectNode object) {
				object.put("author", author);
				return this.json.writeValueAsBytes(object);
			}
		}
		catch (JacksonException ex) {
			// Not JSON: the function refuses it as it is.
		}
		return body;
	}

	/** The request with another body. */
	private static final class Body extends HttpServletRequestWrapper {

		private final byte[] content;

		Body(HttpServletRequest request, byte[] content) {
			super(request);
			this.content = content;
		}

		@Override
		public int getContentLength() {
			return this.content.length;
		}

		@Override
		public long getContentLengthLong() {
			return this.content.length;
		}

		@Override
		public @Nullable String getHeader(String name) {
			return HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name) ? Integer.toString(this.content.length)
					: super.getHeader(name);
		}

		@Override
		public Enumeration<String> getHeaders(String name) {
			return HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name)
					? Collections.enumeration(List.of(Integer.toString(this.content.length))) : super.getHeaders(name);
		}

		@Override
		public int getIntHeader(String name) {
			return HttpHeaders.CONTENT_LENGTH.equalsIgnoreCase(name) ? this.content.length : super.getIntHeader(name);
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(this.content);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] buffer, int offset, int length) {
					return in.read(buffer, offset, length);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("The body is already read");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			return new BufferedReader(new InputStreamReader(getInputStream(), StandardCharsets.UTF_8));
		}

	}

}
