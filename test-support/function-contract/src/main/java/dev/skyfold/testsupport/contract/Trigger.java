package dev.skyfold.testsupport.contract;

/**
 * How a host hands a function its input, which decides what the contract can observe: an
 * HTTP trigger answers with a status and checks its caller, a storage or database trigger
 * has no caller and reports a rejection without the HTTP status of its kind.
 */
public enum Trigger {

	/** The bean is called directly, in process: no caller, rejections as exceptions. */
	CALL,

	/** An HTTP request with a bearer token or the platform's verified principal. */
	HTTP,

	/** An object-created notification of the host's object store. */
	STORAGE_EVENT,

	/**
	 * A change event of the host's message store (a stream record, a document created).
	 */
	DATABASE_EVENT;

	/**
	 * Whether this trigger carries a caller whose role the host checks.
	 * @return {@code true} for HTTP only
	 */
	public boolean hasCaller() {
		return this == HTTP;
	}

	/**
	 * Whether a rejection under this trigger says its kind (invalid, too large,
	 * unsupported); an event trigger logs it and does not retry, without an HTTP status.
	 * @return {@code true} for direct calls and HTTP
	 */
	public boolean reportsRejectionKind() {
		return this == CALL || this == HTTP;
	}

}
