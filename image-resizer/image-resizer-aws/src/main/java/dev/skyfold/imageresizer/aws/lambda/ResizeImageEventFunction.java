package dev.skyfold.imageresizer.aws.lambda;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.domain.WrittenObject;
import dev.skyfold.kernel.RejectedInputException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code resizeImage} function as Lambda runs it: takes the raw JSON of an S3 event
 * notification, an EventBridge {@code Object Created} event or a plain object-created
 * record, and hands every record to the provider-neutral {@code resizeImage} of the core.
 * <p>
 * One record's failure does not stop the others. Bad input (an unreadable record, a
 * corrupt or oversized image) is logged and reported, never retried. When any record
 * failed for another reason, such as an S3 error, the function throws a
 * {@link ResizeFailedException} after the last record, so that Lambda retries the event;
 * otherwise it answers a {@link ResizeSummary}.
 */
public class ResizeImageEventFunction implements Function<byte[], ResizeSummary> {

	private static final Logger log = LoggerFactory.getLogger(ResizeImageEventFunction.class);

	private final Function<ObjectCreated, ResizeResult> resizeImage;

	/**
	 * Creates the function.
	 * @param resizeImage the core's function, which resizes one object
	 */
	public ResizeImageEventFunction(Function<ObjectCreated, ResizeResult> resizeImage) {
		this.resizeImage = resizeImage;
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
		List<ResizeSummary.Entry> entries = new ArrayList<>();
		List<RuntimeException> failures = new ArrayList<>();
		for (ObjectCreatedEvents.Entry record : ObjectCreatedEvents.read(event)) {
			if (record instanceof ObjectCreatedEvents.Entry.Created created) {
				entries.add(resize(created.event(), failures));
			}
			else if (record instanceof ObjectCreatedEvents.Entry.Ignored ignored) {
				log.atInfo()
					.addKeyValue("bucket", ignored.bucket())
					.addKeyValue("key", ignored.key())
					.addKeyValue("outcome", "skipped")
					.log("Skipped a record: {}", ignored.reason());
				entries.add(new ResizeSummary.Entry(ignored.bucket(), ignored.key(), ResizeSummary.Status.SKIPPED,
						ignored.reason(), List.of()));
			}
			else if (record instanceof ObjectCreatedEvents.Entry.Invalid invalid) {
				log.atWarn()
					.addKeyValue("bucket", invalid.bucket())
					.addKeyValue("key", invalid.key())
					.addKeyValue("outcome", "rejected")
					.log("Rejected a record: {}", invalid.reason());
				entries.add(new ResizeSummary.Entry(invalid.bucket(), invalid.key(), ResizeSummary.Status.REJECTED,
						invalid.reason(), List.of()));
			}
		}
		ResizeSummary summary = ResizeSummary.of(entries);
		if (!failures.isEmpty()) {
			throw new ResizeFailedException(summary, failures);
		}
		return summary;
	}

	private ResizeSummary.Entry resize(ObjectCreated event, List<RuntimeException> failures) {
		try {
			ResizeResult result = this.resizeImage.apply(event);
			return switch (result.outcome()) {
				case RESIZED -> new ResizeSummary.Entry(event.bucket(), event.key(), ResizeSummary.Status.RESIZED, null,
						result.written().stream().map(WrittenObject::key).toList());
				case SKIPPED -> new ResizeSummary.Entry(event.bucket(), event.key(), ResizeSummary.Status.SKIPPED,
						result.reason(), List.of());
			};
		}
		catch (RuntimeException ex) {
			// The core's function has logged it.
			RejectedInputException rejected = RejectedInputException.findIn(ex);
			if (rejected != null) {
				return new ResizeSummary.Entry(event.bucket(), event.key(), ResizeSummary.Status.REJECTED,
						rejected.getMessage(), List.of());
			}
			failures.add(ex);
			return new ResizeSummary.Entry(event.bucket(), event.key(), ResizeSummary.Status.FAILED, ex.toString(),
					List.of());
		}
	}

}
