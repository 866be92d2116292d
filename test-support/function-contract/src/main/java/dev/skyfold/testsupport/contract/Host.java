package dev.skyfold.testsupport.contract;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * The hosts of Skyfold's functions, and, in this one place, where they legitimately
 * differ: which functions each exposes and through which trigger, what an accepted call
 * answers, who verifies tokens and whether a post is broadcast in the same call. The
 * contract derives every host-specific expectation from here; a driver only translates
 * calls.
 */
public enum Host {

	/** The beans, called directly, as a user's own tests do. */
	BEANS("beans, called directly", false, true, 200,
			Map.of(SkyfoldFunction.THUMBNAIL, Trigger.CALL, SkyfoldFunction.RESIZE_IMAGE, Trigger.CALL,
					SkyfoldFunction.POST_MESSAGE, Trigger.CALL, SkyfoldFunction.MESSAGE_HISTORY, Trigger.CALL,
					SkyfoldFunction.BROADCAST_MESSAGE, Trigger.CALL)),

	/**
	 * The local app: every function under {@code POST /fn/<name>}, behind its own
	 * resource server; Spring Cloud Function's web endpoint answers 200 for every
	 * accepted call.
	 */
	LOCAL("local app over HTTP", true, true, 200,
			Map.of(SkyfoldFunction.THUMBNAIL, Trigger.HTTP, SkyfoldFunction.RESIZE_IMAGE, Trigger.HTTP,
					SkyfoldFunction.POST_MESSAGE, Trigger.HTTP, SkyfoldFunction.MESSAGE_HISTORY, Trigger.HTTP,
					SkyfoldFunction.BROADCAST_MESSAGE, Trigger.HTTP)),

	/**
	 * AWS Lambda under AWS's runtime client: images arrive by S3 notification (no
	 * {@code thumbnail}: a bucket, not a request, brings images to the cloud), the chat
	 * by API Gateway, whose JWT authorizer verifies tokens before the function runs, and
	 * the broadcast runs on the table's stream, not in the post.
	 */
	LAMBDA("AWS Lambda (runtime interface client)", false, false, 201,
			Map.of(SkyfoldFunction.RESIZE_IMAGE, Trigger.STORAGE_EVENT, SkyfoldFunction.POST_MESSAGE, Trigger.HTTP,
					SkyfoldFunction.MESSAGE_HISTORY, Trigger.HTTP, SkyfoldFunction.BROADCAST_MESSAGE,
					Trigger.DATABASE_EVENT)),

	/**
	 * Azure Functions through Skyfold's instance injector: images by Event Grid, the chat
	 * by HTTP triggers behind App Service authentication (which verifies tokens), and the
	 * post broadcasts in the same call (Azure Table has no change feed to trigger on).
	 */
	AZURE("Azure Functions (instance injector)", false, true, 201,
			Map.of(SkyfoldFunction.RESIZE_IMAGE, Trigger.STORAGE_EVENT, SkyfoldFunction.POST_MESSAGE, Trigger.HTTP,
					SkyfoldFunction.MESSAGE_HISTORY, Trigger.HTTP)),

	/**
	 * Google Cloud Functions under the Functions Framework invoker: images by Cloud
	 * Storage CloudEvents, the chat by HTTP functions that verify Google-signed tokens
	 * themselves, and the broadcast on Firestore's document-created event.
	 */
	GCP("Google Cloud Functions (Functions Framework invoker)", true, false, 201,
			Map.of(SkyfoldFunction.RESIZE_IMAGE, Trigger.STORAGE_EVENT, SkyfoldFunction.POST_MESSAGE, Trigger.HTTP,
					SkyfoldFunction.MESSAGE_HISTORY, Trigger.HTTP, SkyfoldFunction.BROADCAST_MESSAGE,
					Trigger.DATABASE_EVENT));

	private final String title;

	private final boolean verifiesTokens;

	private final boolean broadcastsOnPost;

	private final int createdStatus;

	private final Map<SkyfoldFunction, Trigger> triggers;

	Host(String title, boolean verifiesTokens, boolean broadcastsOnPost, int createdStatus,
			Map<SkyfoldFunction, Trigger> triggers) {
		this.title = title;
		this.verifiesTokens = verifiesTokens;
		this.broadcastsOnPost = broadcastsOnPost;
		this.createdStatus = createdStatus;
		this.triggers = new EnumMap<>(triggers);
	}

	/**
	 * How the host is named in test reports and the README's table.
	 * @return the title
	 */
	public String title() {
		return this.title;
	}

	/**
	 * How this host hands the function its input.
	 * @param function the function
	 * @return its trigger, or empty when the host does not expose the function
	 */
	public Optional<Trigger> trigger(SkyfoldFunction function) {
		return Optional.ofNullable(this.triggers.get(function));
	}

	/**
	 * Whether the function's own code checks a bearer token's signature here, so that a
	 * forged token reaches it; where the platform verifies tokens first (API Gateway, App
	 * Service authentication), a forged token never reaches the function.
	 * @return whether forged tokens are the function's to refuse
	 */
	public boolean verifiesTokens() {
		return this.verifiesTokens;
	}

	/**
	 * Whether {@code postMessage} broadcasts in the same call; otherwise the message
	 * store's change event runs {@code broadcastMessage}.
	 * @return whether a post is broadcast in its own call
	 */
	public boolean broadcastsOnPost() {
		return this.broadcastsOnPost;
	}

	/**
	 * The HTTP status of an accepted call of the function.
	 * @param function the function
	 * @return 201 for a stored post on the clouds' HTTP APIs, 200 otherwise
	 */
	public int successStatus(SkyfoldFunction function) {
		return (function == SkyfoldFunction.POST_MESSAGE) ? this.createdStatus : 200;
	}

}
