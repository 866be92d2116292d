package dev.skyfold.imageresizer.application;

import java.time.Duration;
import java.util.function.Function;

import dev.skyfold.imageresizer.domain.ReconcileReport;
import dev.skyfold.kernel.Deadline;
import org.jspecify.annotations.Nullable;

/**
 * The {@code reconcileThumbnails} function, run on a schedule on every host: one run of
 * the {@link ThumbnailReconciler} over the configured bucket, within the configured time
 * budget; a run that stops answers, and keeps, the continuation the next one starts from.
 */
public class ReconcileThumbnailsFunction implements Function<ReconcileThumbnailsFunction.Request, ReconcileReport> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "reconcileThumbnails";

	private final ThumbnailReconciler reconciler;

	private final String bucket;

	private final Duration budget;

	/**
	 * Creates the function.
	 * @param reconciler the reconciler
	 * @param bucket the bucket it reconciles when a request names none
	 * @param budget how long one run may take, less than the host's timeout
	 */
	public ReconcileThumbnailsFunction(ThumbnailReconciler reconciler, String bucket, Duration budget) {
		this.reconciler = reconciler;
		this.bucket = bucket;
		this.budget = budget;
	}

	@Override
	public ReconcileReport apply(Request request) {
		String target = (request.bucket() != null && !request.bucket().isBlank()) ? request.bucket() : this.bucket;
		return this.reconciler.reconcile(target, request.continuation(), Deadline.after(this.budget), (report) -> {
		});
	}

	/**
	 * What a run is asked, all optional: a schedule sends an empty object.
	 *
	 * @param bucket the bucket, else the configured one
	 * @param continuation where to continue, else where the last stopped run left off
	 */
	public record Request(@Nullable String bucket, @Nullable String continuation) {
	}

}
