package dev.skyfold.imageresizer.gcp.storage;

import com.google.cloud.NoCredentials;
import com.google.cloud.ServiceOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.skyfold.testsupport.loopback.gcs.CloudStorageServer;

/**
 * The official Cloud Storage client as the tests point it at a
 * {@link CloudStorageServer}: its JSON API over HTTP, no credentials, and no retries, so
 * that a wrong answer fails the test at once.
 */
final class LoopbackStorage {

	private LoopbackStorage() {
	}

	static Storage client(CloudStorageServer server) {
		return StorageOptions.http()
			.setHost(server.host())
			.setProjectId("skyfold-test")
			.setCredentials(NoCredentials.getInstance())
			.setRetrySettings(ServiceOptions.getNoRetrySettings())
			.build()
			.getService();
	}

}
