package dev.skyfold.testsupport.contract;

/**
 * The five functions of the contract, by their deployment name.
 */
public enum SkyfoldFunction {

	/** Image bytes in, a thumbnail out. */
	THUMBNAIL("thumbnail"),

	/** An object-created event in, thumbnails written under {@code resized/}. */
	RESIZE_IMAGE("resizeImage"),

	/** A message in, stored (once per client message id) and broadcast. */
	POST_MESSAGE("postMessage"),

	/** A room's history, oldest first, paged back. */
	MESSAGE_HISTORY("messageHistory"),

	/** A stored message sent to its room's subscribers. */
	BROADCAST_MESSAGE("broadcastMessage");

	private final String functionName;

	SkyfoldFunction(String functionName) {
		this.functionName = functionName;
	}

	/**
	 * The function's name: bean name, HTTP path and cloud function name.
	 * @return the name
	 */
	public String functionName() {
		return this.functionName;
	}

}
