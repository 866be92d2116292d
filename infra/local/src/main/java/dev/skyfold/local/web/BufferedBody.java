package dev.skyfold.local.web;

import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.Enumeration;
import java.util.List;

import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;

/**
 * A request whose body was read already (and checked, or changed): filters hand it on so
 * that what comes after reads that body, with a matching {@code Content-Length}.
 */
public final class BufferedBody extends HttpServletRequestWrapper {

	private final byte[] content;

	/**
	 * The request with a body.
	 * @param request the request
	 * @param content its body
	 */
	public BufferedBody(HttpServletRequest request, byte[] content) {
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
