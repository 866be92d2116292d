package dev.skyfold.imageresizer.azure.autoconfigure;

import com.azure.storage.blob.BlobServiceClient;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ThumbnailReconciler;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerAutoConfiguration;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerProperties;
import dev.skyfold.imageresizer.azure.blob.AzureBlobClients;
import dev.skyfold.imageresizer.azure.blob.AzureBlobStore;
import dev.skyfold.imageresizer.azure.functions.ReconcileThumbnailsHandler;
import dev.skyfold.imageresizer.azure.functions.ResizeImageHandler;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.Deadline;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the resizer's objects in Azure Blob Storage unless
 * {@code skyfold.image-resizer.azure.blob.enabled=false}, and creates the Azure
 * functions' handler over the core's {@link ImageResizer}. Runs before the core's
 * auto-configuration, whose local folder store then stands back.
 */
@AutoConfiguration(before = ImageResizerAutoConfiguration.class)
@EnableConfigurationProperties(ImageResizerAzureProperties.class)
public final class ImageResizerAzureAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "skyfold.image-resizer.azure.blob.enabled", matchIfMissing = true)
	BlobServiceClient imageResizerBlobServiceClient(ImageResizerAzureProperties properties) {
		ImageResizerAzureProperties.Blob blob = properties.getBlob();
		return AzureBlobClients.create(blob.getConnectionString(), blob.getEndpoint(), blob.getTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(BlobStore.class)
	@ConditionalOnBooleanProperty(name = "skyfold.image-resizer.azure.blob.enabled", matchIfMissing = true)
	AzureBlobStore azureBlobStore(BlobServiceClient blobs) {
		return new AzureBlobStore(blobs);
	}

	@Bean
	@ConditionalOnMissingBean
	ResizeImageHandler resizeImageHandler(ImageResizer resizer) {
		return new ResizeImageHandler(resizer::resizeEach);
	}

	@Bean
	@ConditionalOnMissingBean
	ReconcileThumbnailsHandler reconcileThumbnailsHandler(ThumbnailReconciler reconciler,
			ImageResizerProperties properties) {
		ImageResizerProperties.Reconcile reconcile = properties.getReconcile();
		return new ReconcileThumbnailsHandler(() -> reconciler.reconcile(reconcile.getBucket(), null,
				Deadline.after(reconcile.getTimeBudget()), (progress) -> {
				}));
	}

}
