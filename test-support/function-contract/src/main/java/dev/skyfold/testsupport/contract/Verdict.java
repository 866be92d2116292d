package dev.skyfold.testsupport.contract;

import org.jspecify.annotations.Nullable;

/**
 * What became of one call, in neutral terms, with the HTTP status each stands for where
 * the host answers over HTTP.
 */
public enum Verdict {

	/** Accepted and done (a skipped object is done too: its answer says why). */
	DONE(null),

	/** Bad input. */
	INVALID(400),

	/** Input over a size limit. */
	TOO_LARGE(413),

	/** Input in a format the function does not take. */
	UNSUPPORTED(415),

	/**
	 * Bad input refused by an event trigger, which logs it and does not retry, without
	 * saying which kind of bad input (see {@link Trigger#reportsRejectionKind()}).
	 */
	REJECTED(null),

	/** No caller, or one whose credentials are not valid. */
	UNAUTHENTICATED(401),

	/** A caller whose role is too low. */
	FORBIDDEN(403),

	/** Anything else: a failure the contract never expects. */
	FAILED(null);

	private final @Nullable Integer status;

	Verdict(@Nullable Integer status) {
		this.status = status;
	}

	/**
	 * The HTTP status a refusal of this kind answers with.
	 * @return the status, or {@code null} for verdicts that are not a refusal
	 */
	public @Nullable Integer status() {
		return this.status;
	}

	/**
	 * The verdict an HTTP status stands for.
	 * @param status the status
	 * @return the verdict
	 */
	public static Verdict ofStatus(int status) {
		if (status >= 200 && status < 300) {
			return DONE;
		}
		for (Verdict verdict : values()) {
			if (verdict.status != null && verdict.status == status) {
				return verdict;
			}
		}
		return FAILED;
	}

}
