package dev.skyfold.imageresizer.aws.lambda;

import java.util.List;
import java.util.function.Function;

import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.imageresizer.domain.ResizeFailedException;
import dev.skyfold.imageresizer.domain.ResizeSummary;
import dev.skyfold.kernel.RejectedInputException;

/**
 * The {@code resizeImage} function as Lambda runs it: takes the raw JSON of an S3 event
 * notification, an EventBridge {@code Object Created} event or a plain object-created
 * record, and hands its records to the core's resizer, whose batch policy says what is
 * retried: Lambda retries the event when the resizer throws a
 * {@link ResizeFailedException}; otherwise the function answers a {@link ResizeSummary}.
 */
public class ResizeImageEventFunction implements Function<byte[], ResizeSummary> {

	private final Function<List<ObjectEvent>, ResizeSummary> resizeEach;

	/**
	 * Creates the function.
	 * @param resizeEach the core's resizer of a batch of records
	 */
	public ResizeImageEventFunction(Function<List<ObjectEvent>, ResizeSummary> resizeEach) {
		this.resizeEach = resizeEach;
	}

	/**
	 * Resizes the object of each record of an event.
	 * @param event the event's JSON
	 * @return what happened to each record
	 * @throws RejectedInputException when the event has none of the shapes this function
	 * reads
	 * @throws ResizeFailedException when any record failed for a reason other than bad
	 * input, after all records were handled
	 */
	@Override
	public ResizeSummary apply(byte[] event) {
		return this.resizeEach.apply(ObjectEvents.read(event));
	}

}
