package dev.skyfold.imageresizer.domain;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What a run of {@code reconcileThumbnails} did, so far or in all.
 *
 * @param checked how many objects it looked at: originals, then thumbnails
 * @param rendered how many originals got missing or stale thumbnails
 * @param removed how many thumbnails it removed, their original or rendition gone
 * @param failed how many objects it could not handle, such as a corrupt image
 * @param errors what went wrong, in words, for the first of those ({@value #MAX_ERRORS}
 * at most)
 * @param continuation what continues the walk where this run stopped, {@code null} once
 * it is complete
 * @param millis how long the run took
 */
public record ReconcileReport(int checked, int rendered, int removed, int failed, List<String> errors,
		@Nullable String continuation, long millis) {

	/** The most errors a report names. */
	public static final int MAX_ERRORS = 20;

	public ReconcileReport {
		errors = List.copyOf(errors);
	}

	/**
	 * A run that has done nothing yet.
	 * @return the report of nothing, complete
	 */
	public static ReconcileReport empty() {
		return new ReconcileReport(0, 0, 0, 0, List.of(), null, 0);
	}

	/**
	 * Whether the walk reached the end of the bucket.
	 * @return {@code true} when there is nothing to continue
	 */
	public boolean complete() {
		return this.continuation == null;
	}

}
