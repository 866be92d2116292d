package dev.skyfold.imageresizer.domain;

import java.util.List;
import java.util.stream.Collectors;

/**
 * Raised once every record of an event batch has been handled, when some failed for a
 * reason other than bad input, so that the platform (Lambda, Event Grid) delivers the
 * event again. The records that were resized before are resized again then, which
 * rewrites identical thumbnails.
 */
public final class ResizeFailedException extends RuntimeException {

	private final transient ResizeSummary summary;

	/**
	 * Creates an exception.
	 * @param summary what happened to each record
	 * @param failures the failures, in the order of the failed records
	 */
	public ResizeFailedException(ResizeSummary summary, List<RuntimeException> failures) {
		super(message(summary), failures.isEmpty() ? null : failures.get(0));
		this.summary = summary;
		failures.stream().skip(1).forEach(this::addSuppressed);
	}

	/**
	 * What happened to each record, including those that did not fail.
	 * @return the summary
	 */
	public ResizeSummary summary() {
		return this.summary;
	}

	private static String message(ResizeSummary summary) {
		return "Could not resize " + summary.failed() + " of " + summary.records().size()
				+ " objects; failing the event so that it is delivered again: "
				+ summary.records()
					.stream()
					.filter((entry) -> entry.status() == ResizeSummary.Status.FAILED)
					.map((entry) -> entry.location() + " (" + entry.reason() + ")")
					.collect(Collectors.joining(", "));
	}

}
