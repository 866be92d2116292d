package dev.skyfold.local.web;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves binary bodies posted to a function that takes {@code byte[]}, such as
 * {@code POST /fn/thumbnail} with an image: spring-cloud-function-web 5.0 reads every
 * request body as a String, which mangles binary data. The function is still looked up in
 * and invoked through the function catalog, so it is observed as any other invocation;
 * JSON and text requests go on to spring-cloud-function-web untouched.
 */
@Component
class BinaryFunctionFilter extends OncePerRequestFilter {

	/** Message headers a function may set that become response headers. */
	private static final List<String> RESPONSE_HEADERS = List.of("Image-Width", "Image-Height");

	private final FunctionCatalog catalog;

	private final JsonMapper json;

	private final String prefix;

	BinaryFunctionFilter(FunctionCatalog catalog, JsonMapper json,
			@org.springframework.beans.factory.annotation.Value("${spring.cloud.function.web.path:}") String prefix) {
		this.catalog = catalog;
		this.json = json;
		this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return binaryFunction(request) == null;
	}

	private @Nullable FunctionInvocationWrapper binaryFunction(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!"POST".equals(request.getMethod()) || !path.startsWith(this.prefix)
				|| isTextual(request.getContentType())) {
			return null;
		}
		String name = path.substring(this.prefix.length());
		if (name.isEmpty() || name.contains("/") || name.contains(",") || name.contains("|")) {
			return null;
		}
		FunctionInvocationWrapper function = this.catalog.lookup(name);
		return (function != null && function.getInputType() == byte[].class) ? function : null;
	}

	private static boolean isTextual(@Nullable String contentType) {
		if (contentType == null) {
			return false;
		}
		String type = contentType.toLowerCase(Locale.ROOT);
		return type.startsWith("text/") || type.contains("json") || type.startsWith("multipart/")
				|| type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		FunctionInvocationWrapper function = binaryFunction(request);
		if (function == null) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = request.getInputStream().readAllBytes();
		MessageBuilder<byte[]> input = MessageBuilder.withPayload(body);
		if (request.getContentType() != null) {
			input.setHeader(MessageHeaders.CONTENT_TYPE, request.getContentType());
		}
		Object result;
		try {
			result = function.apply(input.build());
		}
		catch (RuntimeException ex) {
			ProblemDetail problem = Problems.of(ex);
			if (problem.getStatus() >= 500) {
				this.logger.error("Function " + function.getFunctionDefinition() + " failed", ex);
			}
			problem.setInstance(java.net.URI.create(request.getRequestURI()));
			response.setStatus(problem.getStatus());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			this.json.writeValue(response.getOutputStream(), problem);
			return;
		}
		write(result, response);
	}

	private void write(@Nullable Object result, HttpServletResponse response) throws IOException {
		Object payload = result;
		response.setStatus(HttpServletResponse.SC_OK);
		if (result instanceof Message<?> message) {
			payload = message.getPayload();
			Object contentType = message.getHeaders().get(MessageHeaders.CONTENT_TYPE);
			if (contentType != null) {
				response.setContentType(contentType.toString());
			}
			for (String header : RESPONSE_HEADERS) {
				Object value = message.getHeaders().get(header);
				if (value != null) {
					response.setHeader(header, value.toString());
				}
			}
		}
		if (payload instanceof byte[] bytes) {
			if (response.getContentType() == null) {
				response.setContentType(MediaType.APPLICATION_OCTET_STREAM_VALUE);
			}
			response.setContentLength(bytes.length);
			response.getOutputStream().write(bytes);
		}
		else if (payload != null) {
			response.setContentType(MediaType.APPLICATION_JSON_VALUE);
			this.json.writeValue(response.getOutputStream(), payload);
		}
	}

}
