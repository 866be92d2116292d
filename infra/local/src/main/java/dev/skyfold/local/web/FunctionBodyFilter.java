package dev.skyfold.local.web;

import java.io.IOException;
import java.util.List;
import java.util.Locale;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.local.LocalProperties;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Stands in front of spring-cloud-function-web for the bodies it mishandles.
 * <ul>
 * <li>A binary body posted to a function that takes {@code byte[]}, such as an image to
 * {@code POST /fn/thumbnail}: spring-cloud-function-web 5.0 reads every body as a String,
 * which mangles binary data, so this filter reads the body (up to
 * {@code skyfold.local.max-body-size}) and invokes the function through the function
 * catalog itself, observed as any other invocation.</li>
 * <li>A body that is not JSON posted to a function that takes a record (its JSON form):
 * refused with 415 instead of failing inside spring-cloud-function-web.</li>
 * <li>A JSON body over {@code skyfold.local.max-json-size}: refused with 413 before more
 * of it is read; a smaller one goes on to spring-cloud-function-web, read already.</li>
 * </ul>
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 1)
class FunctionBodyFilter extends OncePerRequestFilter {

	/** Message headers a function may set that become response headers. */
	private static final List<String> RESPONSE_HEADERS = List.of("Image-Width", "Image-Height");

	private final FunctionCatalog catalog;

	private final JsonMapper json;

	private final LocalProperties properties;

	private final String prefix;

	FunctionBodyFilter(FunctionCatalog catalog, JsonMapper json, LocalProperties properties,
			@Value("${spring.cloud.function.web.path:}") String prefix) {
		this.catalog = catalog;
		this.json = json;
		this.properties = properties;
		this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		FunctionInvocationWrapper function = postedFunction(request);
		if (function == null) {
			return true;
		}
		return takesBytes(function) && isTextual(request);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		FunctionInvocationWrapper function = postedFunction(request);
		if (function == null) {
			chain.doFilter(request, response);
			return;
		}
		Object result;
		try {
			if (!takesBytes(function)) {
				byte[] json = readJson(request, function);
				chain.doFilter(new BufferedBody(request, json), response);
				return;
			}
			MessageBuilder<byte[]> input = MessageBuilder.withPayload(RequestBodies.read(request, this.properties));
			if (request.getContentType() != null) {
				input.setHeader(MessageHeaders.CONTENT_TYPE, request.getContentType());
			}
			result = function.apply(input.build());
		}
		catch (RuntimeException ex) {
			writeProblem(request, response, function, ex);
			return;
		}
		write(result, response);
	}

	/**
	 * A JSON body, read whole but never past {@code skyfold.local.max-json-size}: a
	 * function that takes JSON never sees more than a message needs.
	 */
	private byte[] readJson(HttpServletRequest request, FunctionInvocationWrapper function) throws IOException {
		if (takesRecord(function) && !isJson(request)) {
			throw new RejectedInputException(Rejection.UNSUPPORTED, "Function " + function.getFunctionDefinition()
					+ " takes JSON: send the request with Content-Type: application/json");
		}
		return RequestBodies.readJson(request, this.properties);
	}

	private @Nullable FunctionInvocationWrapper postedFunction(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!"POST".equals(request.getMethod()) || !path.startsWith(this.prefix)) {
			return null;
		}
		String name = path.substring(this.prefix.length());
		if (name.isEmpty() || name.contains("/") || name.contains(",") || name.contains("|")) {
			return null;
		}
		return this.catalog.lookup(name);
	}

	private static boolean takesBytes(FunctionInvocationWrapper function) {
		return function.getInputType() == byte[].class;
	}

	private static boolean takesRecord(FunctionInvocationWrapper function) {
		return function.getInputType() instanceof Class<?> type && type.isRecord();
	}

	private static boolean isTextual(HttpServletRequest request) {
		String type = contentType(request);
		return type.startsWith("text/") || type.contains("json") || type.startsWith("multipart/")
				|| type.startsWith(MediaType.APPLICATION_FORM_URLENCODED_VALUE);
	}

	/**
	 * JSON only as {@code application/json} or a {@code +json} type: browsers send
	 * {@code text/plain} cross-site without asking first, whatever its parameters say.
	 */
	private static boolean isJson(HttpServletRequest request) {
		try {
			MediaType type = MediaType.parseMediaType(contentType(request));
			return type.isCompatibleWith(MediaType.APPLICATION_JSON) && !type.isWildcardType()
					&& !type.isWildcardSubtype()
					|| "application".equals(type.getType()) && type.getSubtype().endsWith("+json");
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private static String contentType(HttpServletRequest request) {
		return (request.getContentType() != null) ? request.getContentType().toLowerCase(Locale.ROOT) : "";
	}

	private void writeProblem(HttpServletRequest request, HttpServletResponse response,
			FunctionInvocationWrapper function, RuntimeException ex) throws IOException {
		ProblemDetail problem = Problems.of(ex);
		if (problem.getStatus() >= 500) {
			this.logger.error("Function " + function.getFunctionDefinition() + " failed", ex);
		}
		Problems.write(this.json, request, response, problem);
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
