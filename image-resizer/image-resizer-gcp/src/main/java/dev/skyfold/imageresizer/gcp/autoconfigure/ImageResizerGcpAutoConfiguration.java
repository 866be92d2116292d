package dev.skyfold.imageresizer.gcp.autoconfigure;

import com.google.cloud.NoCredentials;
import com.google.cloud.http.HttpTransportOptions;
import com.google.cloud.storage.Storage;
import com.google.cloud.storage.StorageOptions;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerAutoConfiguration;
import dev.skyfold.imageresizer.gcp.functions.ResizeImageHandler;
import dev.skyfold.imageresizer.gcp.storage.GcsBlobStore;
import dev.skyfold.imageresizer.port.BlobStore;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Keeps the resizer's objects in Cloud Storage unless
 * {@code skyfold.image-resizer.gcp.storage.enabled=false}, and creates the Google
 * functions' handler over the core's {@link ImageResizer}. Runs before the core's
 * auto-configuration, whose local folder store then stands back.
 */
@AutoConfiguration(before = ImageResizerAutoConfiguration.class)
@EnableConfigurationProperties(ImageResizerGcpProperties.class)
public final class ImageResizerGcpAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "skyfold.image-resizer.gcp.storage.enabled", matchIfMissing = true)
	Storage imageResizerStorage(ImageResizerGcpProperties properties) {
		ImageResizerGcpProperties.Storage storage = properties.getStorage();
		int timeout = Math.toIntExact(storage.getTimeout().toMillis());
		StorageOptions.Builder options = StorageOptions.http()
			.setTransportOptions(
					HttpTransportOptions.newBuilder().setConnectTimeout(timeout).setReadTimeout(timeout).build());
		if (storage.getHost() != null && !storage.getHost().isBlank()) {
			options.setHost(storage.getHost()).setCredentials(NoCredentials.getInstance());
		}
		if (storage.getProjectId() != null && !storage.getProjectId().isBlank()) {
			options.setProjectId(storage.getProjectId());
		}
		return options.build().getService();
	}

	@Bean
	@ConditionalOnMissingBean(BlobStore.class)
	@ConditionalOnBooleanProperty(name = "skyfold.image-resizer.gcp.storage.enabled", matchIfMissing = true)
	GcsBlobStore gcsBlobStore(Storage storage) {
		return new GcsBlobStore(storage);
	}

	@Bean
	@ConditionalOnMissingBean
	ResizeImageHandler resizeImageHandler(ImageResizer resizer) {
		return new ResizeImageHandler(resizer::resizeEach);
	}

}
