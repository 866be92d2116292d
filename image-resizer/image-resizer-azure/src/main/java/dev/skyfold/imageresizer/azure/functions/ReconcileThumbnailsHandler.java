package dev.skyfold.imageresizer.azure.functions;

import java.util.function.Supplier;

import com.microsoft.azure.functions.ExecutionContext;
import com.microsoft.azure.functions.annotation.FunctionName;
import com.microsoft.azure.functions.annotation.TimerTrigger;
import dev.skyfold.imageresizer.domain.ReconcileReport;

/**
 * The Azure function {@code reconcileThumbnails} on a timer trigger, whose NCRONTAB
 * schedule the {@value #SCHEDULE_SETTING} app setting holds: one run of the core's
 * reconciler over the container {@code skyfold.image-resizer.reconcile.bucket} names (the
 * resizer's container by default), within its time budget, which stays below the host's
 * {@code functionTimeout}. A run that stops keeps its continuation in the container for
 * the next.
 */
public class ReconcileThumbnailsHandler {

	/** The app setting with the timer's schedule, such as {@code 0 30 3 * * *}. */
	public static final String SCHEDULE_SETTING = "RECONCILE_SCHEDULE";

	private final Supplier<ReconcileReport> reconcile;

	/**
	 * Creates the handler.
	 * @param reconcile one run of the core's reconciler over the configured container
	 */
	public ReconcileThumbnailsHandler(Supplier<ReconcileReport> reconcile) {
		this.reconcile = reconcile;
	}

	/**
	 * Runs the reconcile.
	 * @param timer the trigger's timer information, unused
	 * @param context the invocation's context
	 * @return what the run did
	 */
	@FunctionName("reconcileThumbnails")
	public ReconcileReport reconcileThumbnails(
			@TimerTrigger(name = "timer", schedule = "%" + SCHEDULE_SETTING + "%") String timer,
			ExecutionContext context) {
		ReconcileReport report = this.reconcile.get();
		context.getLogger()
			.info("Reconciled: " + report.checked() + " objects checked, " + report.rendered() + " rendered, "
					+ report.removed() + " thumbnails removed, " + report.failed() + " failed"
					+ (report.complete() ? "" : "; the next run continues"));
		return report;
	}

}
