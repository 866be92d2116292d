package dev.skyfold.testsupport.contract;

/**
 * Who calls a function, as the contract names them; each driver turns one into its host's
 * credentials (a bearer token, API Gateway's claims, App Service's principal).
 */
public enum Caller {

	/** No credentials at all. */
	ANONYMOUS,

	/** A token whose signature does not verify. */
	FORGED,

	/** Signed in with the role {@code viewer}. */
	VIEWER,

	/** Signed in with the role {@code member}. */
	MEMBER,

	/** Signed in with the role {@code admin}. */
	ADMIN

}
