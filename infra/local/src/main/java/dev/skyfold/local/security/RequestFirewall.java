package dev.skyfold.local.security;

import java.io.IOException;
import java.util.Locale;

import dev.skyfold.local.web.Problems;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.web.firewall.FirewalledRequest;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.security.web.firewall.RequestRejectedException;
import org.springframework.security.web.firewall.RequestRejectedHandler;
import org.springframework.security.web.firewall.StrictHttpFirewall;

/**
 * Spring Security's strict firewall, opened only as far as object keys need: a key may
 * hold {@code ;} and {@code %}, so both may appear after {@code /objects/}, and nowhere
 * else (a {@code ;} elsewhere could make the path security checks differ from the one the
 * app serves). A refused request gets a 400 problem.
 */
final class RequestFirewall implements HttpFirewall, RequestRejectedHandler {

	private static final String OBJECTS = "/objects/";

	private final StrictHttpFirewall strict = new StrictHttpFirewall();

	private final JsonMapper json;

	RequestFirewall(JsonMapper json) {
		this.json = json;
		this.strict.setAllowSemicolon(true);
		this.strict.setAllowUrlEncodedPercent(true);
	}

	@Override
	public FirewalledRequest getFirewalledRequest(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String outsideKey = path.startsWith(OBJECTS) ? "" : path.toLowerCase(Locale.ROOT);
		if (outsideKey.contains(";") || outsideKey.contains("%3b") || outsideKey.contains("%25")) {
			throw new RequestRejectedException("The path may hold ';' and '%' only within an object key");
		}
		return this.strict.getFirewalledRequest(request);
	}

	@Override
	public HttpServletResponse getFirewalledResponse(HttpServletResponse response) {
		return this.strict.getFirewalledResponse(response);
	}

	@Override
	public void handle(HttpServletRequest request, HttpServletResponse response, RequestRejectedException rejected)
			throws IOException {
		ProblemDetail problem = Problems.problem(HttpStatus.BAD_REQUEST, "Invalid input",
				"Request refused: " + rejected.getMessage());
		Problems.write(this.json, request, response, problem);
	}

}
