package dev.skyfold.local.web;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Serves under the functions' path ({@code /fn}) only the beans that are functions, and
 * only to a POST (any other method is a 405 problem): Spring Cloud Function otherwise
 * looks up any bean by the name in the path and calls its one public method, so that
 * services behind the functions ({@code chatService}, {@code broadcastService}) would
 * answer too, around the checks of the functions in front of them. Any other name, also
 * within a composition ({@code a|b}), is a 404 problem, and nothing runs.
 */
@Component
@Order(Ordered.LOWEST_PRECEDENCE - 2)
class FunctionNamesFilter extends OncePerRequestFilter {

	private final ListableBeanFactory beans;

	private final JsonMapper json;

	private final String prefix;

	private volatile @Nullable Set<String> functions;

	FunctionNamesFilter(ListableBeanFactory beans, JsonMapper json,
			@Value("${spring.cloud.function.web.path:}") String prefix) {
		this.beans = beans;
		this.json = json;
		this.prefix = prefix.endsWith("/") ? prefix : prefix + "/";
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		List<String> names = FunctionPaths.names(request, this.prefix);
		return names == null || names.isEmpty();
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		List<String> names = FunctionPaths.names(request, this.prefix);
		String unknown = (names != null)
				? names.stream().filter((name) -> !functions().contains(name)).findFirst().orElse(null) : null;
		if (unknown == null && !"POST".equals(request.getMethod())) {
			// Functions take their input in a POST; a GET would invoke one without it.
			response.setHeader(HttpHeaders.ALLOW, "POST");
			Problems.write(this.json, request, response, Problems.problem(HttpStatus.METHOD_NOT_ALLOWED,
					"Method not allowed", "Functions are invoked with POST, not " + request.getMethod()));
			return;
		}
		if (unknown == null) {
			chain.doFilter(request, response);
			return;
		}
		ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "No such function",
				"No function is named '" + unknown + "'");
		Problems.write(this.json, request, response, problem);
	}

	/** The function beans' names and aliases, read once the beans are all there. */
	private Set<String> functions() {
		Set<String> names = this.functions;
		if (names == null) {
			names = new TreeSet<>();
			for (String name : Stream.of(Function.class, Supplier.class, Consumer.class)
				.flatMap((type) -> Arrays.stream(this.beans.getBeanNamesForType(type, false, false)))
				.toList()) {
				names.add(name);
				names.addAll(Arrays.asList(this.beans.getAliases(name)));
			}
			this.functions = names;
		}
		return names;
	}

}
