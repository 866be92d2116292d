package dev.skyfold.local.bucket;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import dev.skyfold.imageresizer.application.ThumbnailReconciler;
import dev.skyfold.imageresizer.domain.ReconcileReport;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStore.BlobPage;
import dev.skyfold.kernel.Deadline;
import dev.skyfold.local.LocalProperties;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.event.EventListener;
import org.springframework.core.task.TaskExecutor;
import org.springframework.scheduling.annotation.Scheduled;
import org.springframework.stereotype.Component;

/**
 * Runs {@code reconcileThumbnails} over the local bucket, one run at a time and in the
 * background: once the app is up (an upload stored just before a crash never got its
 * thumbnails, its event having died with the process), on the
 * {@code skyfold.local.reconcile-cron} schedule (daily at 03:30 unless set; {@code -}
 * turns it off), and when an admin asks from the page. Keeps the current or last run's
 * progress for the page's progress bar.
 */
@Component
class ReconcileRuns {

	private static final Logger log = LoggerFactory.getLogger(ReconcileRuns.class);

	private final ThumbnailReconciler reconciler;

	private final BlobStore store;

	private final LocalProperties properties;

	private final TaskExecutor executor;

	private final AtomicBoolean running = new AtomicBoolean();

	private volatile Progress progress = Progress.NONE;

	ReconcileRuns(ThumbnailReconciler reconciler, BlobStore store, LocalProperties properties,
			@Qualifier("applicationTaskExecutor") TaskExecutor executor) {
		this.reconciler = reconciler;
		this.store = store;
		this.properties = properties;
		this.executor = executor;
	}

	@EventListener(ApplicationReadyEvent.class)
	void reconcileAtStart() {
		start();
	}

	@Scheduled(cron = "${skyfold.local.reconcile-cron:0 30 3 * * *}")
	void reconcileOnSchedule() {
		start();
	}

	/**
	 * Starts a run in the background, unless one is under way.
	 * @return whether this call started one
	 */
	boolean start() {
		if (!this.running.compareAndSet(false, true)) {
			return false;
		}
		Instant started = Instant.now();
		this.progress = Progress.of(true, null, ReconcileReport.empty(), started, null);
		try {
			this.executor.execute(() -> run(started));
		}
		catch (RuntimeException ex) {
			this.running.set(false);
			throw ex;
		}
		return true;
	}

	/**
	 * The current run's progress, or the last run's outcome.
	 * @return the progress
	 */
	Progress progress() {
		return this.progress;
	}

	private void run(Instant started) {
		String bucket = this.properties.bucket();
		try {
			// The objects there at the start; thumbnails the run writes are checked too,
			// so the total grows with them.
			long counted = count(bucket);
			this.progress = Progress.of(true, counted, ReconcileReport.empty(), started, null);
			ReconcileReport report = this.reconciler.reconcile(bucket, null, Deadline.none(),
					(sofar) -> this.progress = Progress.of(true, Math.max(counted, sofar.checked()), sofar, started,
							null));
			this.progress = Progress.of(false, (long) report.checked(), report, started, Instant.now());
		}
		catch (RuntimeException ex) {
			log.warn("Reconciling the thumbnails of {} failed: {}", bucket, ex.toString());
			ReconcileReport last = this.progress.report();
			this.progress = Progress.of(false, this.progress.total(),
					new ReconcileReport(last.checked(), last.rendered(), last.removed(), last.failed() + 1,
							List.of("the run stopped: " + ex.getMessage()), last.continuation(), last.millis()),
					started, Instant.now());
		}
		finally {
			this.running.set(false);
		}
	}

	/** The objects of the bucket, originals and thumbnails: what a run checks. */
	private long count(String bucket) {
		long total = 0;
		String continuation = null;
		do {
			BlobPage page = this.store.listPage(bucket, "", continuation, BlobPage.DEFAULT_LIMIT);
			total += page.objects().size();
			continuation = page.continuation();
		}
		while (continuation != null);
		return total;
	}

	/**
	 * A run's progress, as the page shows it.
	 *
	 * @param running whether it is under way
	 * @param total how many objects it has to check, once counted
	 * @param report what it did so far
	 * @param perSecond objects checked per second so far
	 * @param started when it started, {@code null} before the first run
	 * @param finished when it ended, {@code null} while under way
	 */
	record Progress(boolean running, @Nullable Long total, ReconcileReport report, double perSecond,
			@Nullable Instant started, @Nullable Instant finished) {

		static final Progress NONE = new Progress(false, null, ReconcileReport.empty(), 0, null, null);

		static Progress of(boolean running, @Nullable Long total, ReconcileReport report, Instant started,
				@Nullable Instant finished) {
			Instant end = (finished != null) ? finished : Instant.now();
			double seconds = Math.max(0.001, Duration.between(started, end).toMillis() / 1000.0);
			return new Progress(running, total, report, Math.round(report.checked() / seconds * 10) / 10.0, started,
					finished);
		}

	}

}
