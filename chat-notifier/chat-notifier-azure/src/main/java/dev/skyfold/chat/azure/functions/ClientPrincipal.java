package dev.skyfold.chat.azure.functions;

import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

import com.microsoft.azure.functions.HttpRequestMessage;
import dev.skyfold.chat.domain.AuthorClaims;
import dev.skyfold.chat.http.HttpJson;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/**
 * The caller App Service Authentication ("Easy Auth") vouched for. Easy Auth passes the
 * caller's claims in the {@code X-MS-CLIENT-PRINCIPAL} header, base64 of
 * {@code {"auth_typ":…,"claims":[{"typ":…,"val":…}],"name_typ":…,"role_typ":…}}, and
 * removes any such header a client sent itself.
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
	 * The author the caller's claims name, by {@link AuthorClaims}.
	 * @param request the request
	 * @return the author, or {@code null} without the header or any of those claims
	 * @throws RejectedInputException ({@link Rejection#INVALID}) when the header is not
	 * base64 of the client principal JSON
	 */
	static @Nullable String author(HttpRequestMessage<?> request) {
		String header = HttpFunctions.header(request, HEADER);
		if (header == null) {
			return null;
		}
		Map<String, String> claims = claims(header);
		return AuthorClaims.author((claim) -> {
			String value = claims.get(claim);
			String renamed = RENAMED.get(claim);
			return ((value == null || value.isBlank()) && renamed != null) ? claims.get(renamed) : value;
		});
	}

	/**
	 * Reads the claims of a client principal header.
	 * @param header the header's value
	 * @return each claim's value by its type, the first when a type repeats; claims whose
	 * value is not a string are left out
	 */
	static Map<String, String> claims(String header) {
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
		Map<String, String> values = new HashMap<>();
		for (JsonNode claim : claims.values()) {
			JsonNode type = claim.get("typ");
			if (!claim.isObject() || type == null || !type.isString()) {
				throw malformed("has a claim that is not an object with a typ string", null);
			}
			JsonNode value = claim.get("val");
			if (value != null && value.isString()) {
				values.putIfAbsent(type.stringValue(), value.stringValue());
			}
		}
		return values;
	}

	private static RejectedInputException malformed(String why, @Nullable Exception cause) {
		String message = "The " + HEADER + " header App Service Authentication sent " + why;
		return (cause != null) ? new RejectedInputException(Rejection.INVALID, message, cause)
				: new RejectedInputException(Rejection.INVALID, message);
	}

}
