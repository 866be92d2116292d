package dev.skyfold.imageresizer.azure.autoconfigure;

import dev.skyfold.imageresizer.autoconfigure.ImageResizerAutoConfiguration;
import dev.skyfold.imageresizer.azure.blob.AzureBlobStore;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

class ImageResizerAzureAutoConfigurationTests {

	private static final String CONNECTION_STRING = "DefaultEndpointsProtocol=http;AccountName="
			+ AzuriteServer.ACCOUNT_NAME + ";AccountKey=" + AzuriteServer.ACCOUNT_KEY
			+ ";BlobEndpoint=http://127.0.0.1:1/devstoreaccount1;";

	private final ApplicationContextRunner runner = new ApplicationContextRunner().withConfiguration(
			AutoConfigurations.of(ImageResizerAzureAutoConfiguration.class, ImageResizerAutoConfiguration.class));

	@Test
	void keepsObjectsInAzureBlobStorageWithAConnectionString() {
		this.runner.withPropertyValues("skyfold.image-resizer.azure.blob.connection-string=" + CONNECTION_STRING)
			.run((context) -> assertThat(context).getBean(BlobStore.class).isInstanceOf(AzureBlobStore.class));
	}

	@Test
	void keepsObjectsInAzureBlobStorageWithAnEndpointAndTheManagedIdentity() {
		this.runner.withPropertyValues("skyfold.image-resizer.azure.blob.endpoint=https://acct.blob.core.windows.net")
			.run((context) -> assertThat(context).getBean(BlobStore.class).isInstanceOf(AzureBlobStore.class));
	}

	@Test
	void leavesTheLocalFolderStoreWhenDisabled() {
		this.runner.withPropertyValues("skyfold.image-resizer.azure.blob.enabled=false")
			.run((context) -> assertThat(context).getBean(BlobStore.class).isNotInstanceOf(AzureBlobStore.class));
	}

	@Test
	void saysWhatToConfigureWhenNeitherIsSet() {
		this.runner
			.withPropertyValues("skyfold.image-resizer.azure.blob.connection-string=",
					"skyfold.image-resizer.azure.blob.endpoint=")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("skyfold.image-resizer.azure.blob.connection-string")
				.hasMessageContaining("AzureWebJobsStorage"));
	}

}
