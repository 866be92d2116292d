package dev.skyfold.imageresizer.domain;

import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * What {@code resizeImage} did with each record of one storage event batch; on Lambda,
 * the answer to the invocation.
 *
 * @param resized how many objects got thumbnails
 * @param skipped how many records were left alone on purpose: not images, thumbnails
 * themselves, gone, or not about a created object
 * @param rejected how many records were bad input, logged and not retried
 * @param failed how many records failed otherwise; the invocation fails when any did
 * @param removed how many removed originals had their thumbnails removed
 * @param records one entry per record, in the event's order
 */
public record ResizeSummary(int resized, int skipped, int rejected, int failed, int removed, List<Entry> records) {

	public ResizeSummary {
		records = List.copyOf(records);
	}

	/**
	 * Counts the outcomes of a list of records.
	 * @param records the records
	 * @return the summary
	 */
	public static ResizeSummary of(List<Entry> records) {
		return new ResizeSummary(count(records, Status.RESIZED), count(records, Status.SKIPPED),
				count(records, Status.REJECTED), count(records, Status.FAILED), count(records, Status.REMOVED),
				records);
	}

	private static int count(List<Entry> records, Status status) {
		return (int) records.stream().filter((entry) -> entry.status() == status).count();
	}

	/**
	 * The outcome of one record.
	 *
	 * @param bucket the bucket, when the record names one
	 * @param key the object key, when the record names one
	 * @param status what happened
	 * @param reason why the record was skipped, rejected or failed; {@code null} when
	 * resized or removed
	 * @param written the keys of the thumbnails written, or removed with their original;
	 * empty otherwise
	 */
	public record Entry(@Nullable String bucket, @Nullable String key, Status status, @Nullable String reason,
			List<String> written) {

		public Entry {
			written = List.copyOf(written);
		}

		/**
		 * Where the record's object is, for messages.
		 * @return {@code <bucket>/<key>}, with {@code ?} for what is not known
		 */
		public String location() {
			return ((this.bucket != null) ? this.bucket : "?") + "/" + ((this.key != null) ? this.key : "?");
		}

	}

	/**
	 * What happened to one record.
	 */
	public enum Status {

		/** Thumbnails were written. */
		RESIZED,

		/** The original was removed, and its thumbnails with it. */
		REMOVED,

		/** Nothing to do, on purpose: see the reason. */
		SKIPPED,

		/** Bad input: logged, not retried. */
		REJECTED,

		/**
		 * Failed otherwise, such as a storage error: the invocation fails, so that the
		 * platform delivers the event again.
		 */
		FAILED

	}

}
