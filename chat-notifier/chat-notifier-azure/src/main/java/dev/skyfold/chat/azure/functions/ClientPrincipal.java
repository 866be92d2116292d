package dev.skyfold.chat.azure.functions;

import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.microsoft.azure.functions.HttpRequestMessage;
import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.chat.http.HttpJson;
import dev.skyfold.chat.http.VouchedCaller;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.kernel.access.AccessRefusedException;
import dev.skyfold.kernel.access.RoleClaims;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The caller App Service Authentication ("Easy Auth") vouched for. Easy Auth passes the
 * caller's claims in the {@code X-MS-CLIENT-PRINCIPAL} header, base64 of
 * {@code {"auth_typ":…,"claims":[{"typ":…,"val":…}],"name_typ":…,"role_typ":…}}, one
 * claim per value (a caller with two roles has two role claims), and removes any such
 * header a client sent itself.
 */
final class ClientPrincipal {

	static final String HEADER = "X-MS-CLIENT-PRINCIPAL";

	/**
	 * Claims Easy Auth renames as .NET's JWT handler does, by the name
	 * {@link AuthorClaims} knows them as.
	 */
	private static final Map<String, String> RENAMED = Map.of(
			// the subject, sub
			"sub", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/nameidentifier",
			// unique_name, a user name (Entra ID's tokens have one)
			"preferred_username", "http://schemas.xmlsoap.org/ws/2005/05/identity/claims/name");

	private ClientPrincipal() {
	}

	/**
	 * The caller Easy Auth vouched for: its author by {@link AuthorClaims} and its roles
	 * by the roles claim, or the principal's {@code role_typ} claims when it has none.
	 * @param request the request
	 * @param roles how roles are read from the claims
	 * @return the caller
	 * @throws AccessRefusedException (401) without the header: App Service Authentication
	 * is off, so no one vouched for the caller
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when the header is not
	 * base64 of the client principal JSON
	 */
	static VouchedCaller caller(HttpRequestMessage<?> request, RoleClaims roles) {
		String header = HttpFunctions.header(request, HEADER);
		if (header == null) {
			throw AccessRefusedException.unauthenticated("No " + HEADER
					+ " header: the chat answers only callers App Service Authentication signed in (infra/azure turns it on)");
		}
		Map<String, Object> claims = new HashMap<>(claims(header));
		RENAMED.forEach((claim, renamed) -> {
			if (isBlank(claims.get(claim)) && claims.containsKey(renamed)) {
				claims.put(claim, claims.get(renamed));
			}
		});
		return VouchedCaller.of(claims, roles);
	}

	private static boolean isBlank(@Nullable Object value) {
		return value == null || (value instanceof String text && text.isBlank());
	}

	/**
	 * Reads the claims of a client principal header.
	 * @param header the header's value
	 * @return each claim's value by its type, a list of them when a type repeats, and the
	 * role claims also under {@code roles} when the principal names another role type;
	 * claims whose value is not a string are left out
	 */
	static Map<String, Object> claims(String header) {
		JsonNode principal;
		try {
			principal = HttpJson.mapper().readTree(Base64.getDecoder().decode(header.strip()));
		}
		catch (IllegalArgumentException ex) {
			throw malformed("is not base64", ex);
		}
		catch (JacksonException ex) {
			throw malformed("is not JSON", ex);
		}
		JsonNode claims = (principal != null) ? principal.get("claims") : null;
		if (principal == null || !principal.isObject() || claims == null || !claims.isArray()) {
			throw malformed("is not a JSON object with a claims array", null);
		}
		Map<String, List<String>> values = new LinkedHashMap<>();
		for (JsonNode claim : claims.values()) {
			JsonNode type = claim.get("typ");
			if (!claim.isObject() || type == null || !type.isString()) {
				throw malformed("has a claim that is not an object with a typ string", null);
			}
			JsonNode value = claim.get("val");
			if (value != null && value.isString()) {
				values.computeIfAbsent(type.stringValue(), (name) -> new ArrayList<>()).add(value.stringValue());
			}
		}
		JsonNode roleType = principal.get("role_typ");
		if (roleType != null && roleType.isString() && values.containsKey(roleType.stringValue())) {
			values.putIfAbsent(RoleClaims.DEFAULT_CLAIM, values.get(roleType.stringValue()));
		}
		Map<String, Object> single = new LinkedHashMap<>();
		values.forEach((name, list) -> single.put(name, (list.size() == 1) ? list.get(0) : List.copyOf(list)));
		return single;
	}

	private static RejectedInputException malformed(String why, @Nullable Exception cause) {
		String message = "The " + HEADER + " header App Service Authentication sent " + why;
		return (cause != null) ? new RejectedInputException(Rejection.INVALID, message, cause)
				: new RejectedInputException(Rejection.INVALID, message);
	}

}
