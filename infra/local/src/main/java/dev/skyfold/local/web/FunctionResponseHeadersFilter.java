package dev.skyfold.local.web;

import java.io.IOException;
import java.util.Set;
import java.util.TreeSet;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.HttpServletResponseWrapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Lets a function's answer carry only the headers it means to: spring-cloud-function-web
 * copies the invocation's message headers, and so the request's own headers, into the
 * response, which would let a caller make the app answer {@code Refresh} or any header it
 * likes. The headers security sets are not affected: they are written around this filter.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 3)
class FunctionResponseHeadersFilter extends OncePerRequestFilter {

	/** Headers a function's answer may carry. */
	static final Set<String> ALLOWED = caseInsensitive(HttpHeaders.CONTENT_TYPE, HttpHeaders.CONTENT_LENGTH,
			HttpHeaders.ALLOW, HttpHeaders.RETRY_AFTER, HttpHeaders.CACHE_CONTROL, "Image-Width", "Image-Height");

	private final String prefix;

	FunctionResponseHeadersFilter(@Value("${spring.cloud.function.web.path:}") String prefix) {
		this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !request.getRequestURI().substring(request.getContextPath().length()).startsWith(this.prefix);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		chain.doFilter(request, new HttpServletResponseWrapper(response) {

			@Override
			public void setHeader(String name, String value) {
				if (ALLOWED.contains(name)) {
					super.setHeader(name, value);
				}
			}

			@Override
			public void addHeader(String name, String value) {
				if (ALLOWED.contains(name)) {
					super.addHeader(name, value);
				}
			}

			@Override
			public void setIntHeader(String name, int value) {
				if (ALLOWED.contains(name)) {
					super.setIntHeader(name, value);
				}
			}

			@Override
			public void addIntHeader(String name, int value) {
				if (ALLOWED.contains(name)) {
					super.addIntHeader(name, value);
				}
			}

			@Override
			public void setDateHeader(String name, long date) {
				if (ALLOWED.contains(name)) {
					super.setDateHeader(name, date);
				}
			}

			@Override
			public void addDateHeader(String name, long date) {
				if (ALLOWED.contains(name)) {
					super.addDateHeader(name, date);
				}
			}

		});
	}

	private static Set<String> caseInsensitive(String... names) {
		Set<String> set = new TreeSet<>(String.CASE_INSENSITIVE_ORDER);
		set.addAll(Set.of(names));
		return set;
	}

}
