package dev.skyfold.kernel.access;

/**
 * A token's role claim has a type no provider uses: the token is refused as malformed.
 */
public final class InvalidRoleClaimException extends IllegalArgumentException {

	InvalidRoleClaimException(String claim, String problem) {
		super("The token's '" + claim + "' claim " + problem);
	}

}
