package dev.skyfold.chat.port;

/**
 * A subscription call that failed as a whole (the push channel unreachable, failing or
 * refusing the credentials), so that no token's subscription is known to have changed.
 * Hosts answer it as a server error; the client may try again.
 */
public class RoomSubscriptionException extends RuntimeException {

	private final boolean transientFailure;

	public RoomSubscriptionException(String message, boolean transientFailure, Throwable cause) {
		super(message, cause);
		this.transientFailure = transientFailure;
	}

	public RoomSubscriptionException(String message, boolean transientFailure) {
		super(message);
		this.transientFailure = transientFailure;
	}

	/**
	 * Whether trying again later may succeed.
	 * @return {@code true} for overload, server errors and network failures
	 */
	public boolean isTransient() {
		return this.transientFailure;
	}

}
