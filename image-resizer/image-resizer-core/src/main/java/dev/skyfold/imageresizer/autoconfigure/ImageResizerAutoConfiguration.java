package dev.skyfold.imageresizer.autoconfigure;

import java.time.Duration;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ReconcileThumbnailsFunction;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.application.ThumbnailReconciler;
import dev.skyfold.imageresizer.application.ThumbnailFunction;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.util.unit.DataSize;

/**
 * Registers the {@code thumbnail} and {@code resizeImage} functions in every host, with
 * the ImageIO renderer and, unless a host brings its own store, the local folder store.
 * The {@link ImageResizer} behind {@code resizeImage} is a bean of its own: a host that
 * takes its platform's storage events under the name {@code resizeImage} (Lambda)
 * registers its own function of that name, which hands the records to the same resizer,
 * and this one stands back.
 */
@AutoConfiguration
@EnableConfigurationProperties(ImageResizerProperties.class)
public final class ImageResizerAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	ThumbnailRenderer thumbnailRenderer(ImageResizerProperties properties) {
		Integer decodes = properties.getMaxConcurrentDecodes();
		DataSize decodeMemory = properties.getMaxDecodeMemory();
		return new ImageIoThumbnailRenderer(new ImageIoThumbnailRenderer.Settings(properties.getMaxPixels(),
				properties.getMaxSize().toBytes(), properties.getJpegQuality(),
				(decodes != null) ? decodes : Runtime.getRuntime().availableProcessors(),
				properties.getNativeDecoder().isEnabled(), (decodeMemory != null) ? decodeMemory.toBytes() : 0));
	}

	@Bean
	@ConditionalOnMissingBean
	BlobStore blobStore(ImageResizerProperties properties) {
		return new FileSystemBlobStore(properties.getStorage().getRoot());
	}

	@Bean(ThumbnailFunction.NAME)
	@ConditionalOnMissingBean(name = ThumbnailFunction.NAME)
	ThumbnailFunction thumbnail(ThumbnailRenderer renderer, ImageResizerProperties properties) {
		return new ThumbnailFunction(renderer, new Box(properties.getWidth(), properties.getHeight()));
	}

	@Bean
	@ConditionalOnMissingBean
	ImageResizer imageResizer(BlobStore store, ThumbnailRenderer renderer, ImageResizerProperties properties,
			ObjectProvider<MeterRegistry> meters) {
		return new ImageResizer(store, renderer, properties.toResizeImageSettings(),
				meters.getIfAvailable(() -> Metrics.globalRegistry));
	}

	@Bean
	@ConditionalOnMissingBean
	ThumbnailReconciler thumbnailReconciler(ImageResizer resizer, BlobStore store, ImageResizerProperties properties) {
		// A tenth of the budget, at most 10 s, for the image under way and the answer.
		Duration budget = properties.getReconcile().getTimeBudget();
		Duration margin = budget.dividedBy(10);
		return new ThumbnailReconciler(resizer, store,
				(margin.compareTo(Duration.ofSeconds(10)) < 0) ? margin : Duration.ofSeconds(10));
	}

	@Bean(ReconcileThumbnailsFunction.NAME)
	@ConditionalOnMissingBean(name = ReconcileThumbnailsFunction.NAME)
	ReconcileThumbnailsFunction reconcileThumbnails(ThumbnailReconciler reconciler, ImageResizerProperties properties) {
		return new ReconcileThumbnailsFunction(reconciler, properties.getReconcile().getBucket(),
				properties.getReconcile().getTimeBudget());
	}

	@Bean(ResizeImageFunction.NAME)
	@ConditionalOnMissingBean(name = ResizeImageFunction.NAME)
	ResizeImageFunction resizeImage(ImageResizer resizer) {
		return new ResizeImageFunction(resizer);
	}

}
