package dev.skyfold.local.security;

import java.io.IOException;

import dev.skyfold.local.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.access.BearerTokenAccessDeniedHandler;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.csrf.CsrfException;

/**
 * Refusals as problem JSON: 401 for a caller that is not signed in or whose token is not
 * valid, 403 for one whose role is too low, each with the {@code WWW-Authenticate} header
 * RFC 6750 asks of a resource server.
 */
final class ProblemAnswers implements AuthenticationEntryPoint, AccessDeniedHandler {

	private final BearerTokenAuthenticationEntryPoint bearerEntryPoint = new BearerTokenAuthenticationEntryPoint();

	private final BearerTokenAccessDeniedHandler bearerDeniedHandler = new BearerTokenAccessDeniedHandler();

	private final JsonMapper json;

	ProblemAnswers(JsonMapper json) {
		this.json = json;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException refused)
			throws IOException {
		this.bearerEntryPoint.commence(request, response, refused);
		boolean tokenGiven = request.getHeader("Authorization") != null;
		write(request, response,
				Problems.problem(HttpStatus.UNAUTHORIZED, "Unauthorized", tokenGiven
						? "The bearer token is not valid: " + refused.getMessage()
						: "Sign in first: send a bearer token (Authorization: Bearer ...) or use the pages' session"));
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, AccessDeniedException denied)
			throws IOException {
		this.bearerDeniedHandler.handle(request, response, denied);
		if (denied instanceof CsrfException) {
			write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "Forbidden",
					"A signed-in page must send its CSRF token (the XSRF-TOKEN cookie, as the X-XSRF-TOKEN header)"));
			return;
		}
		String reason = (denied instanceof AuthorizationDeniedException authorization
				&& authorization.getAuthorizationResult() instanceof OperationAccess.Refusal refusal) ? refusal.reason()
						: "Your role does not allow this request";
		write(request, response, Problems.problem(HttpStatus.FORBIDDEN, "Forbidden", reason));
	}

	private void write(HttpServletRequest request, HttpServletResponse response, ProblemDetail problem)
			throws IOException {
		Problems.write(this.json, request, response, problem);
	}

}
