package dev.skyfold.local.web;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.web.util.UriUtils;

/**
 * Reads which functions a request under the functions' path ({@code /fn/}) names: the
 * definition after the prefix, up to the next {@code /}, decoded once, and split into the
 * names of a composition ({@code a|b}, {@code a,b}).
 */
public final class FunctionPaths {

	private FunctionPaths() {
	}

	/**
	 * The functions a request's path names.
	 * @param request the request
	 * @param prefix the functions' path, ending with {@code /}
	 * @return the names, empty when the path ends at the prefix; {@code null} when the
	 * path as written is not under the prefix
	 */
	public static @Nullable List<String> names(HttpServletRequest request, String prefix) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if (!path.startsWith(prefix)) {
			return null;
		}
		String rest = path.substring(prefix.length());
		int slash = rest.indexOf('/');
		String definition = UriUtils.decode((slash >= 0) ? rest.substring(0, slash) : rest, StandardCharsets.UTF_8);
		return definition.isEmpty() ? List.of() : Arrays.stream(definition.split("[,|]")).map(String::strip).toList();
	}

}
