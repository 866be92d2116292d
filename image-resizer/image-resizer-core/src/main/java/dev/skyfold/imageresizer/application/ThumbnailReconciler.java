package dev.skyfold.imageresizer.application;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.function.Consumer;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ReconcileReport;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStore.BlobPage;
import dev.skyfold.kernel.Deadline;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a bucket's thumbnails in line with its originals, for what an event never
 * delivered, a crash interrupted, or a change of renditions left behind: it walks the
 * originals page by page and renders those whose thumbnails are missing or stale
 * ({@link ImageResizer#needsThumbnails}), then walks the thumbnails and removes those
 * whose original is gone or whose rendition is no longer configured.
 * <p>
 * A run holds one page at a time, whatever the bucket's size, and stops before its
 * deadline: it then answers a continuation, and keeps it in the bucket
 * ({@value #STATE_NAME} under the output prefix), so that the next run, scheduled or
 * asked for, continues after the last object it checked. Everything a run does is
 * idempotent, so an object checked twice is harmless.
 */
public class ThumbnailReconciler {

	/** Where, under the output prefix, a stopped run keeps its continuation. */
	public static final String STATE_NAME = ".reconcile-continuation";

	private static final Logger log = LoggerFactory.getLogger(ThumbnailReconciler.class);

	/**
	 * As many objects as S3 and Azure list at a time; a folder store walks once a page.
	 */
	private static final int PAGE_SIZE = BlobPage.DEFAULT_LIMIT;

	private final ImageResizer resizer;

	private final BlobStore store;

	/** Kept free at the end of a run, for the object under way and the answer. */
	private final Duration margin;

	/**
	 * Creates a reconciler.
	 * @param resizer what renders the thumbnails, and names the renditions
	 * @param store the store of the originals and their thumbnails
	 * @param margin how much of the deadline to keep free: more than one object takes
	 */
	public ThumbnailReconciler(ImageResizer resizer, BlobStore store, Duration margin) {
		this.resizer = resizer;
		this.store = store;
		this.margin = margin;
	}

	/**
	 * Reconciles a bucket until it is done or the deadline comes near.
	 * @param bucket the bucket
	 * @param continuation where to continue, {@code null} for where the last stopped run
	 * left off, or the start
	 * @param deadline when the run must have answered
	 * @param progress told what the run did after each object
	 * @return what the run did, with a continuation unless it reached the end
	 * @throws RejectedInputException when the bucket is blank, or the continuation is not
	 * one a run gave
	 */
	public ReconcileReport reconcile(String bucket, @Nullable String continuation, Deadline deadline,
			Consumer<ReconcileReport> progress) {
		if (bucket.isBlank()) {
			throw new RejectedInputException(Rejection.INVALID,
					"No bucket to reconcile: name one, or set skyfold.image-resizer.reconcile.bucket");
		}
		Run run = new Run(bucket, System.nanoTime());
		String saved = (continuation != null) ? continuation : savedContinuation(bucket);
		Position position = (saved != null) ? Position.parse(saved) : Position.START;
		while (position != null) {
			BlobPage page = this.store.listPage(bucket, position.originals() ? "" : outputPrefix(), position.page(),
					PAGE_SIZE);
			String done = position.after();
			for (BlobInfo object : page.objects()) {
				if (done != null && object.key().compareTo(done) <= 0) {
					// Checked by the run that stopped in this page.
					continue;
				}
				if (!deadline.allows(this.margin)) {
					return stop(run, new Position(position.originals(), position.page(), done), progress);
				}
				if (position.originals()) {
					checkOriginal(run, object);
				}
				else {
					checkThumbnail(run, object);
				}
				done = object.key();
				progress.accept(run.report(position.text()));
			}
			if (page.continuation() != null) {
				position = new Position(position.originals(), page.continuation(), null);
			}
			else {
				position = position.originals() ? new Position(false, null, null) : null;
			}
		}
		this.store.delete(bucket, stateKey());
		ReconcileReport report = run.report(null);
		progress.accept(report);
		log.atInfo()
			.addKeyValue("function", ReconcileThumbnailsFunction.NAME)
			.addKeyValue("bucket", bucket)
			.addKeyValue("checked", report.checked())
			.addKeyValue("rendered", report.rendered())
			.addKeyValue("removed", report.removed())
			.addKeyValue("failed", report.failed())
			.log("Reconciled {}: {} objects checked, {} rendered, {} thumbnails removed, {} failed", bucket,
					report.checked(), report.rendered(), report.removed(), report.failed());
		return report;
	}

	private ReconcileReport stop(Run run, Position position, Consumer<ReconcileReport> progress) {
		this.store.write(run.bucket, stateKey(), position.text().getBytes(StandardCharsets.UTF_8), "text/plain");
		ReconcileReport report = run.report(position.text());
		progress.accept(report);
		log.atInfo()
			.addKeyValue("function", ReconcileThumbnailsFunction.NAME)
			.addKeyValue("bucket", run.bucket)
			.addKeyValue("checked", report.checked())
			.log("Stopped reconciling {} before its deadline after {} objects; the next run continues", run.bucket,
					report.checked());
		return report;
	}

	private void checkOriginal(Run run, BlobInfo object) {
		if (object.key().startsWith(outputPrefix())) {
			return;
		}
		run.checked++;
		try {
			if (this.resizer.needsThumbnails(run.bucket, object)) {
				this.resizer.resize(new ObjectCreated(run.bucket, object.key(), object.size(), object.contentType()));
				run.rendered++;
			}
		}
		catch (RuntimeException ex) {
			run.failed(object.key(), ex);
		}
	}

	private void checkThumbnail(Run run, BlobInfo thumbnail) {
		if (thumbnail.key().equals(stateKey())) {
			return;
		}
		run.checked++;
		try {
			if (!hasOriginal(run.bucket, thumbnail)) {
				this.store.delete(run.bucket, thumbnail.key());
				run.removed++;
			}
		}
		catch (RuntimeException ex) {
			run.failed(thumbnail.key(), ex);
		}
	}

	/**
	 * Whether a thumbnail is the key of a configured rendition of an original that
	 * exists: the one its metadata names, or else any its key could be made from.
	 */
	private boolean hasOriginal(String bucket, BlobInfo thumbnail) {
		String named = thumbnail.metadata().get(ImageResizer.SOURCE_KEY_METADATA);
		List<String> sources = new ArrayList<>();
		if (named != null) {
			sources.add(named);
		}
		else {
			String rest = thumbnail.key().substring(outputPrefix().length());
			for (Rendition rendition : this.resizer.settings().renditions()) {
				if (rendition.name().isEmpty()) {
					sources.add(rest);
				}
				else if (rest.startsWith(rendition.name() + "/")) {
					sources.add(rest.substring(rendition.name().length() + 1));
				}
			}
		}
		for (String source : sources) {
			boolean configured = this.resizer.settings()
				.renditions()
				.stream()
				.anyMatch((rendition) -> rendition.keyFor(outputPrefix(), source).equals(thumbnail.key()));
			if (configured && !source.startsWith(outputPrefix()) && this.store.stat(bucket, source).isPresent()) {
				return true;
			}
		}
		return false;
	}

	private @Nullable String savedContinuation(String bucket) {
		return this.store.read(bucket, stateKey(), 4096)
			.map(Blob::content)
			.map((bytes) -> new String(bytes, StandardCharsets.UTF_8))
			.orElse(null);
	}

	private String outputPrefix() {
		return this.resizer.settings().outputPrefix();
	}

	private String stateKey() {
		return outputPrefix() + STATE_NAME;
	}

	/**
	 * Where a walk is: in the originals or the thumbnails, at the page a store's
	 * continuation starts (the first page when {@code null}), past the last key checked
	 * in it. A run that stops goes on from that key, not from the page's start, so that
	 * every run gets further whatever re-checking a page costs.
	 */
	private record Position(boolean originals, @Nullable String page, @Nullable String after) {

		static final Position START = new Position(true, null, null);

		private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();

		/** {@code originals|thumbnails}, then the page and the key, each Base64url. */
		String text() {
			return (this.originals ? "originals" : "thumbnails") + "." + encode(this.page) + "." + encode(this.after);
		}

		static Position parse(String text) {
			String[] parts = text.split("\\.", -1);
			if (parts.length != 3 || !(parts[0].equals("originals") || parts[0].equals("thumbnails"))) {
				throw new RejectedInputException(Rejection.INVALID,
						"Not a continuation of reconcileThumbnails: '" + text + "'");
			}
			try {
				return new Position(parts[0].equals("originals"), decode(parts[1]), decode(parts[2]));
			}
			catch (IllegalArgumentException ex) {
				throw new RejectedInputException(Rejection.INVALID,
						"Not a continuation of reconcileThumbnails: '" + text + "'");
			}
		}

		private static String encode(@Nullable String value) {
			return (value != null) ? ENCODER.encodeToString(value.getBytes(StandardCharsets.UTF_8)) : "";
		}

		private static @Nullable String decode(String value) {
			return value.isEmpty() ? null : new String(Base64.getUrlDecoder().decode(value), StandardCharsets.UTF_8);
		}

	}

	/** The counts of one run. */
	private static final class Run {

		private final String bucket;

		private final long started;

		private int checked;

		private int rendered;

		private int removed;

		private int failed;

		private final List<String> errors = new ArrayList<>();

		Run(String bucket, long started) {
			this.bucket = bucket;
			this.started = started;
		}

		void failed(String key, RuntimeException ex) {
			this.failed++;
			if (this.errors.size() < ReconcileReport.MAX_ERRORS) {
				RejectedInputException rejected = RejectedInputException.findIn(ex);
				this.errors.add(key + ": " + ((rejected != null) ? rejected.getMessage() : ex.toString()));
			}
			log.atWarn()
				.addKeyValue("function", ReconcileThumbnailsFunction.NAME)
				.addKeyValue("bucket", this.bucket)
				.addKeyValue("key", key)
				.log("Could not reconcile {}: {}", key, ex.getMessage());
		}

		ReconcileReport report(@Nullable String continuation) {
			return new ReconcileReport(this.checked, this.rendered, this.removed, this.failed, this.errors,
					continuation, (System.nanoTime() - this.started) / 1_000_000);
		}

	}

}
