package dev.skyfold.imageresizer.azure.functions;

import java.util.List;
import java.util.function.Function;
import java.util.logging.Logger;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.domain.ResizeSummary;
import dev.skyfold.kernel.RejectedInputException;
import org.jspecify.annotations.Nullable;

/**
 * The Azure functions of the resizer: {@code resizeImage} on Event Grid
 * {@code Microsoft.Storage.BlobCreated} events, and {@code resizeImageBlob} on a classic
 * blob trigger, both handing the blobs to the core's resizer, whose batch policy says
 * what is retried: bad input (an event that names no blob, a corrupt or oversized image)
 * is logged and the invocation succeeds, so that it is not retried; any other failure,
 * such as a storage error, fails the invocation after the last event, so that Event Grid
 * (or the blob trigger) retries. The image resizer's Azure auto-configuration creates the
 * handler, which the adapter's {@code SpringFunctionInstanceInjector} hands to the
 * worker.
 */
public class ResizeImageHandler {

	/** The app setting with the container that the blob trigger watches. */
	public static final String CONTAINER_SETTING = "IMAGE_RESIZER_CONTAINER";

	/** Where uploads go in the container; the blob trigger watches this prefix. */
	public static final String UPLOADS = "uploads/";

	private final Function<List<ObjectEvent>, ResizeSummary> resizeEach;

	/**
	 * Creates the handler.
	 * @param resizeEach the core's resizer of a batch of records
	 */
	public ResizeImageHandler(Function<List<ObjectEvent>, ResizeSummary> resizeEach) {
		this.resizeEach = resizeEach;
	}

	/**
	 * Resizes the blobs of an Event Grid delivery, in either schema. The subscription
	 * filters on {@code BlobCreated} under {@code uploads/}; the core skips its own
	 * output under {@code resized/} in any case.
	 * @param event the event's JSON, as the trigger receives it
	 * @param context the invocation's context
	 */
	@FunctionName("resizeImage")
	public void resizeImage(@EventGridTrigger(name = "event") String event, ExecutionContext context) {
		List<ObjectEvent> events;
		try {
			events = BlobEvents.read(event);
		}
		catch (RejectedInputException ex) {
			context.getLogger().warning("Rejected an event: " + ex.getMessage());
			return;
		}
		resize(events, context);
	}

	/**
	 * Resizes a blob under {@code uploads/} of the container that the
	 * {@value #CONTAINER_SETTING} app setting names, for the classic setup without Event
	 * Grid. The trigger reads the blob; the core reads it again from the store, as for
	 * any other event.
	 * @param content the blob's bytes, which this method does not use
	 * @param name the blob's name under {@code uploads/}
	 * @param blobPath the blob's {@code <container>/<name>}, from the trigger's metadata
	 * @param context the invocation's context
	 */
	@FunctionName("resizeImageBlob")
	public void resizeImageBlob(
			@BlobTrigger(name = "content", dataType = "binary",
					path = "%" + CONTAINER_SETTING + "%/" + UPLOADS + "{name}",
					connection = "AzureWebJobsStorage") byte[] content,
			@BindingName("name") String name, @BindingName("BlobTrigger") @Nullable String blobPath,
			ExecutionContext context) {
		resize(List.of(blob(container(blobPath), UPLOADS + name, content.length)), context);
	}

	private void resize(List<ObjectEvent> events, ExecutionContext context) {
		try {
			log(this.resizeEach.apply(events), context.getLogger());
		}
		catch (ResizeFailedException ex) {
			log(ex.summary(), context.getLogger());
			throw ex;
		}
	}

	/**
	 * Logs what happened to each record through the invocation's logger, which ties the
	 * lines to the invocation in the host's logs.
	 */
	private static void log(ResizeSummary summary, Logger log) {
		for (ResizeSummary.Entry entry : summary.records()) {
			String record = (entry.bucket() != null || entry.key() != null) ? entry.location() + ": " : "";
			switch (entry.status()) {
				case RESIZED -> log.info("Resized " + entry.location() + " into " + entry.written());
				case REMOVED -> log.info("Removed the thumbnails of " + entry.location() + ": " + entry.written());
				case SKIPPED -> log.info("Skipped " + record + entry.reason());
				case REJECTED -> log.warning("Rejected " + record + entry.reason());
				case FAILED -> log.severe("Could not resize " + record + entry.reason() + "; retrying");
			}
		}
	}

	private static ObjectEvent blob(@Nullable String container, String key, long size) {
		if (container == null) {
			return new ObjectEvent.Invalid(null, key,
					"neither the trigger's metadata nor the " + CONTAINER_SETTING + " setting names its container");
		}
		try {
			return new ObjectEvent.Created(new ObjectCreated(container, key, size, null));
		}
		catch (RejectedInputException ex) {
			return new ObjectEvent.Invalid(container, key, ex.getMessage());
		}
	}

	private static @Nullable String container(@Nullable String blobPath) {
		if (blobPath != null) {
			int slash = blobPath.indexOf('/');
			if (slash > 0) {
				return blobPath.substring(0, slash);
			}
		}
		String setting = System.getenv(CONTAINER_SETTING);
		return (setting != null && !setting.isBlank()) ? setting.strip() : null;
	}

}
