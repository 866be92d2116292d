package dev.skyfold.imageresizer.azure.functions;

import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.BindingName;
import com.microsoft.azure.functions.annotation.BlobTrigger;
import com.microsoft.azure.functions.annotation.EventGridTrigger;
import com.microsoft.azure.functions.annotation.FunctionName;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.domain.WrittenObject;
import dev.skyfold.kernel.RejectedInputException;
import org.jspecify.annotations.Nullable;

/**
 * The Azure functions of the resizer: {@code resizeImage} on Event Grid
 * {@code Microsoft.Storage.BlobCreated} events, and {@code resizeImageBlob} on a classic
 * blob trigger, both handing the blob to the core's provider-neutral {@code resizeImage}.
 * The adapter's {@code SpringFunctionInstanceInjector} creates the handler with that
 * function.
 * <p>
 * Bad input (an event that names no blob, a corrupt or oversized image) is logged and the
 * invocation succeeds, so that it is not retried; any other failure, such as a storage
 * error, is thrown, so that Event Grid (or the blob trigger) retries.
 */
public class ResizeImageHandler {

	/** The app setting with the container that the blob trigger watches. */
	public static final String CONTAINER_SETTING = "IMAGE_RESIZER_CONTAINER";

	/** Where uploads go in the container; the blob trigger watches this prefix. */
	public static final String UPLOADS = "uploads/";

	private final Function<ObjectCreated, ResizeResult> resizeImage;

	/**
	 * Creates the handler.
	 * @param resizeImage the core's {@code resizeImage} function
	 */
	public ResizeImageHandler(Function<ObjectCreated, ResizeResult> resizeImage) {
		this.resizeImage = resizeImage;
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
		Logger log = context.getLogger();
		List<BlobCreatedEvents.Entry> entries;
		try {
			entries = BlobCreatedEvents.read(event);
		}
		catch (RejectedInputException ex) {
			log.warning("Rejected an event: " + ex.getMessage());
			return;
		}
		RuntimeException failure = null;
		for (BlobCreatedEvents.Entry entry : entries) {
			if (entry instanceof BlobCreatedEvents.Entry.Created created) {
				try {
					resize(created.event(), log);
				}
				catch (RuntimeException ex) {
					if (failure == null) {
						failure = ex;
					}
					else {
						failure.addSuppressed(ex);
					}
				}
			}
			else if (entry instanceof BlobCreatedEvents.Entry.Ignored ignored) {
				log.info("Skipped event " + ignored.id() + ": " + ignored.reason());
			}
			else if (entry instanceof BlobCreatedEvents.Entry.Invalid invalid) {
				log.warning("Rejected event " + invalid.id() + ": " + invalid.reason());
			}
		}
		if (failure != null) {
			throw failure;
		}
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
		Logger log = context.getLogger();
		String container = container(blobPath);
		if (container == null) {
			log.warning("Rejected blob " + name + ": neither the trigger's metadata nor the " + CONTAINER_SETTING
					+ " setting names its container");
			return;
		}
		ObjectCreated event;
		try {
			event = new ObjectCreated(container, UPLOADS + name, (long) content.length, null);
		}
		catch (RejectedInputException ex) {
			log.warning("Rejected blob " + name + ": " + ex.getMessage());
			return;
		}
		resize(event, log);
	}

	private void resize(ObjectCreated event, Logger log) {
		try {
			ResizeResult result = this.resizeImage.apply(event);
			if (result.outcome() == ResizeResult.Outcome.RESIZED) {
				log.info("Resized " + event.bucket() + "/" + event.key() + " into "
						+ result.written().stream().map(WrittenObject::key).toList());
			}
			else {
				log.info("Skipped " + event.bucket() + "/" + event.key() + ": " + result.reason());
			}
		}
		catch (RuntimeException ex) {
			RejectedInputException rejected = RejectedInputException.findIn(ex);
			if (rejected == null) {
				log.log(Level.SEVERE, "Could not resize " + event.bucket() + "/" + event.key() + "; retrying", ex);
				throw ex;
			}
			log.warning("Rejected " + event.bucket() + "/" + event.key() + ": " + rejected.getMessage());
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
