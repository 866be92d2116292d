package dev.skyfold.kernel;

import java.time.Duration;

/**
 * When an invocation must be done by, as its platform sets it (a Lambda's remaining
 * time): work that cannot finish before it is better not started, and left for the
 * platform to retry, than cut off half-way.
 */
public final class Deadline {

	private static final Deadline NONE = new Deadline(Long.MAX_VALUE);

	/** By {@link System#nanoTime()}; {@link Long#MAX_VALUE} for none. */
	private final long at;

	private Deadline(long at) {
		this.at = at;
	}

	/**
	 * No deadline: every piece of work fits.
	 * @return the deadline that never comes
	 */
	public static Deadline none() {
		return NONE;
	}

	/**
	 * A deadline some time from now.
	 * @param remaining the time left, at least zero
	 * @return the deadline
	 */
	public static Deadline after(Duration remaining) {
		long nanos = Math.max(0, remaining.toNanos());
		return new Deadline(System.nanoTime() + nanos);
	}

	/**
	 * The time left.
	 * @return what is left, zero once the deadline has passed; a very long time for
	 * {@link #none()}
	 */
	public Duration remaining() {
		if (this == NONE) {
			return Duration.ofNanos(Long.MAX_VALUE);
		}
		return Duration.ofNanos(Math.max(0, this.at - System.nanoTime()));
	}

	/**
	 * Whether work that may take this long still fits.
	 * @param work the longest the work may take
	 * @return {@code true} when it finishes before the deadline
	 */
	public boolean allows(Duration work) {
		return this == NONE || remaining().compareTo(work) >= 0;
	}

	@Override
	public String toString() {
		return (this == NONE) ? "no deadline" : remaining().toMillis() + " ms left";
	}

}
