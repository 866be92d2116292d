package dev.skyfold.local.security;

import java.io.IOException;

import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.web.BufferedBody;
import dev.skyfold.local.web.RequestBodies;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
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
@Order(Ordered.LOWEST_PRECEDENCE)
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
		// Read already, within skyfold.local.max-json-size, by FunctionBodyFilter.
		byte[] body = RequestBodies.readJson(request, this.properties);
		chain.doFilter(new BufferedBody(request, signed(body, Caller.of(caller).name())), response);
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

}
