package dev.skyfold.local.bucket;

import java.util.List;

import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.local.LocalProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;

/**
 * Heals the local bucket once the app is up: an upload stored just before a crash never
 * got its thumbnails, since its object-created event died with the process. Each image
 * without them is handed to {@code resizeImage} again, through the function catalog as an
 * upload's event is, in the background so that the app answers meanwhile.
 */
@Component
class ThumbnailHealer {

	private static final Logger log = LoggerFactory.getLogger(ThumbnailHealer.class);

	private final ImageResizer resizer;

	private final FunctionCatalog catalog;

	private final LocalProperties properties;

	private final TaskExecutor executor;

	ThumbnailHealer(ImageResizer resizer, FunctionCatalog catalog, LocalProperties properties,
			@Qualifier("applicationTaskExecutor") TaskExecutor executor) {
		this.resizer = resizer;
		this.catalog = catalog;
		this.properties = properties;
		this.executor = executor;
	}

	@EventListener(ApplicationReadyEvent.class)
	void healInTheBackground() {
		this.executor.execute(this::heal);
	}

	/**
	 * Resizes every image of the bucket that lacks a thumbnail.
	 * @return how many were healed
	 */
	int heal() {
		List<ObjectCreated> unfinished = this.resizer.missingThumbnails(this.properties.bucket());
		FunctionInvocationWrapper resizeImage = this.catalog.lookup(ResizeImageFunction.NAME);
		int healed = 0;
		for (ObjectCreated event : unfinished) {
			try {
				resizeImage.apply(MessageBuilder.withPayload(event).build());
				healed++;
			}
			catch (RuntimeException ex) {
				if (RejectedInputException.findIn(ex) == null) {
					log.warn("Could not heal {}: {}", event.key(), ex.toString());
				}
			}
		}
		if (!unfinished.isEmpty()) {
			log.info("Healed {} of {} objects that had no thumbnail after the last stop", healed, unfinished.size());
		}
		return healed;
	}

}
