package dev.skyfold.imageresizer.gcp.functions;

import java.util.List;
import java.util.function.Function;

import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.domain.ResizeSummary;
import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@code resizeImage} does with a Cloud Storage CloudEvent: it hands the object to
 * the core's resizer, whose batch policy says what is retried. Bad input (an event that
 * names no object, a corrupt or oversized image) is logged and the function returns, so
 * that Eventarc does not retry it; any other failure, such as a storage error, is thrown,
 * so that a function deployed with {@code --retry} gets the event again. A deleted
 * original takes its thumbnails with it.
 */
public class ResizeImageHandler implements CloudEventsFunction {

	private static final Logger log = LoggerFactory.getLogger(ResizeImageHandler.class);

	private final Function<List<ObjectEvent>, ResizeSummary> resizeEach;

	/**
	 * Creates the handler.
	 * @param resizeEach the core's resizer of a batch of records
	 */
	public ResizeImageHandler(Function<List<ObjectEvent>, ResizeSummary> resizeEach) {
		this.resizeEach = resizeEach;
	}

	@Override
	public void accept(CloudEvent event) {
		handle(event);
	}

	/**
	 * Resizes (or removes the thumbnails of) the object an event is about.
	 * @param event the CloudEvent
	 * @return what happened to the object
	 * @throws ResizeFailedException when the object could not be handled for a reason
	 * worth a retry
	 */
	public ResizeSummary handle(CloudEvent event) {
		ResizeSummary summary;
		try {
			summary = this.resizeEach.apply(List.of(StorageEvents.read(event)));
		}
		catch (ResizeFailedException ex) {
			log(ex.summary());
			throw ex;
		}
		log(summary);
		return summary;
	}

	private static void log(ResizeSummary summary) {
		for (ResizeSummary.Entry entry : summary.records()) {
			String record = entry.location();
			switch (entry.status()) {
				case RESIZED -> log.info("Resized {} into {}", record, entry.written());
				case REMOVED -> log.info("Removed the thumbnails of {}: {}", record, entry.written());
				case SKIPPED -> log.info("Skipped {}: {}", record, entry.reason());
				case REJECTED -> log.warn("Rejected {}: {}", record, entry.reason());
				case FAILED ->
					log.error("Could not resize {}: {}; failing the event for a retry", record, entry.reason());
			}
		}
	}

}
