package dev.skyfold.testsupport.architecture;

import java.util.Arrays;
import java.util.stream.Stream;

/**
 * The cloud SDKs of DESIGN.md's dependency rule, as the packages an architecture rule
 * allows or forbids: the client libraries, and the function runtime a handler is written
 * against.
 */
public enum CloudSdk {

	/** AWS SDK v2 clients; the Lambda core and events libraries. */
	AWS(new String[] { "software.amazon.." }, new String[] { "com.amazonaws.." }),

	/** Azure SDK clients; the Azure Functions Java library. */
	AZURE(new String[] { "com.azure.." }, new String[] { "com.microsoft.azure.." }),

	/**
	 * Google's client libraries (the Firebase Admin SDK, Cloud Storage, Firestore) and
	 * the Google libraries they are built on; the Functions Framework and CloudEvents.
	 */
	GOOGLE(new String[] { "com.google.firebase..", "com.google.auth..", "com.google.api..", "com.google.cloud",
			"com.google.cloud.http..", "com.google.cloud.storage..", "com.google.cloud.firestore.." },
			new String[] { "com.google.cloud.functions..", "io.cloudevents.." });

	private final String[] clientPackages;

	private final String[] functionRuntimePackages;

	CloudSdk(String[] clientPackages, String[] functionRuntimePackages) {
		this.clientPackages = clientPackages;
		this.functionRuntimePackages = functionRuntimePackages;
	}

	/**
	 * The packages of the SDK's client libraries, which the platform's adapters use.
	 * @return ArchUnit package identifiers
	 */
	public String[] clientPackages() {
		return this.clientPackages.clone();
	}

	/**
	 * The packages of the platform's function runtime, which only handlers use.
	 * @return ArchUnit package identifiers, none for an SDK without a runtime
	 */
	public String[] functionRuntimePackages() {
		return this.functionRuntimePackages.clone();
	}

	/**
	 * Every package of the given SDKs, client libraries and function runtimes.
	 * @param sdks the SDKs
	 * @return ArchUnit package identifiers
	 */
	public static String[] packagesOf(CloudSdk... sdks) {
		return Arrays.stream(sdks)
			.flatMap((sdk) -> Stream.concat(Stream.of(sdk.clientPackages), Stream.of(sdk.functionRuntimePackages)))
			.toArray(String[]::new);
	}

	/**
	 * Every package of the SDKs other than the given one.
	 * @param sdk the SDK a module may use
	 * @return ArchUnit package identifiers
	 */
	public static String[] packagesOfAllBut(CloudSdk sdk) {
		return packagesOf(Arrays.stream(values()).filter((other) -> other != sdk).toArray(CloudSdk[]::new));
	}

}
