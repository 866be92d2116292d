package dev.skyfold.imageresizer.adapter.imageio;

import java.lang.management.ManagementFactory;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.JMException;
import javax.management.ObjectName;

import com.sun.management.OperatingSystemMXBean;

import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Bounds the memory outside the Java heap that decoding takes at once, and gives it back
 * to the operating system afterwards.
 * <p>
 * A progressive JPEG is decoded into a buffer of all its DCT coefficients, 128 bytes for
 * each 8x8 block of each component, by libjpeg-turbo and by the JDK's own libjpeg alike:
 * 3 bytes a pixel for the common 4:2:0 sampling, 6 for 4:4:4, so a 17 MP photo takes 50
 * to 100 MB of native memory however small its thumbnail. Two of them at once took a
 * small container over its limit. Each decode therefore reserves its buffer's size from a
 * budget first, and waits while others hold it; one larger than the whole budget waits
 * for all of it. Baseline JPEGs are decoded a few rows at a time and the other formats on
 * the Java heap, so they reserve nothing.
 * <p>
 * The C allocator keeps what a decoder freed for the process's next allocations, and a
 * process that decoded a few large photos stayed about 130 MB larger than it needed. So
 * once no image has begun decoding for {@value #TRIM_AFTER_MILLIS} ms after a large
 * decode, the native heap is trimmed (HotSpot's {@code System.trim_native_heap}, in JDK
 * 17.0.9 and later); not while images keep coming, whose decodes would only fault the
 * memory back in.
 */
final class NativeDecodeMemory {

	private static final Logger log = LoggerFactory.getLogger(NativeDecodeMemory.class);

	/** Permits are kibibytes, so that a budget of terabytes still fits an int. */
	private static final int UNIT = 1024;

	/** The smallest default budget: the largest photo the corpus has, with room. */
	static final long MIN_DEFAULT_BYTES = 128L * 1024 * 1024;

	/** A decode that reserved this much is followed by a trim once decoding is quiet. */
	static final long TRIM_FROM = 32L * 1024 * 1024;

	static final long TRIM_AFTER_MILLIS = 1000;

	private static final Executor LATER = CompletableFuture.delayedExecutor(TRIM_AFTER_MILLIS, TimeUnit.MILLISECONDS);

	private static final Lease NOTHING = () -> {
	};

	/** The budget asked for, in bytes; 0 for {@link #defaultBudget()}. */
	private final long maxBytes;

	/**
	 * Made at the first progressive JPEG, so that working out the default costs no start.
	 */
	private volatile @Nullable Budget budget;

	/** Counts the decodes begun, so that a trim due knows whether decoding went on. */
	private final AtomicLong reservations = new AtomicLong();

	private volatile boolean trimUnavailable;

	/**
	 * A budget.
	 * @param maxBytes the native memory decodes may take at once; 0 for
	 * {@link #defaultBudget()}, worked out when the first progressive JPEG comes
	 */
	NativeDecodeMemory(long maxBytes) {
		if (maxBytes < 0) {
			throw new IllegalArgumentException("The decode memory budget must not be negative, not " + maxBytes);
		}
		this.maxBytes = maxBytes;
	}

	/**
	 * The default budget: a quarter of the memory this process may use beyond its heap
	 * (the container's limit where there is one, as the JVM sees it), and at least
	 * {@value #MIN_DEFAULT_BYTES} bytes. In a 512 MiB container that is 128 MB, so two
	 * large progressive photos decode one after the other; on a machine with memory to
	 * spare they decode side by side. Asking the JVM for its memory loads its management
	 * classes (about 40 ms in a cold JVM), hence not at start.
	 * @return the budget in bytes
	 */
	static long defaultBudget() {
		long total = (ManagementFactory.getOperatingSystemMXBean() instanceof OperatingSystemMXBean system)
				? system.getTotalMemorySize() : 0;
		return Math.max(MIN_DEFAULT_BYTES, (total - Runtime.getRuntime().maxMemory()) / 4);
	}

	/**
	 * Reserves what decoding an image takes outside the heap, waiting while other decodes
	 * hold the budget.
	 * @param image the encoded image
	 * @param format its format, as ImageIO names it
	 * @return the reservation, to close once the image is decoded
	 * @throws InterruptedException if interrupted while waiting
	 */
	Lease reserve(byte[] image, String format) throws InterruptedException {
		// Every decode counts, so that the trim waits for decoding of any kind to pause.
		long reservation = this.reservations.incrementAndGet();
		long bytes = "jpeg".equals(format) ? progressiveJpegBytes(image) : 0;
		if (bytes == 0) {
			return NOTHING;
		}
		Budget budget = budget();
		int permits = (int) Math.min(budget.total(), ceilDiv(bytes, UNIT));
		budget.permits().acquire(permits);
		return () -> {
			budget.permits().release(permits);
			if (bytes >= TRIM_FROM && !this.trimUnavailable) {
				LATER.execute(() -> trimIfQuietSince(reservation));
			}
		};
	}

	/** How much of the budget is free, in bytes. */
	long available() {
		return (long) budget().permits().availablePermits() * UNIT;
	}

	private Budget budget() {
		Budget budget = this.budget;
		if (budget == null) {
			synchronized (this) {
				budget = this.budget;
				if (budget == null) {
					long bytes = (this.maxBytes > 0) ? this.maxBytes : defaultBudget();
					int total = (int) Math.min(Integer.MAX_VALUE, ceilDiv(bytes, UNIT));
					budget = new Budget(new Semaphore(total, true), total);
					this.budget = budget;
				}
			}
		}
		return budget;
	}

	private void trimIfQuietSince(long reservation) {
		Budget budget = budget();
		if (this.reservations.get() != reservation || budget.permits().availablePermits() != budget.total()) {
			// Decoding went on: the last large decode's trim comes later.
			return;
		}
		try {
			ManagementFactory.getPlatformMBeanServer()
				.invoke(new ObjectName("com.sun.management:type=DiagnosticCommand"), "systemTrimNativeHeap",
						new Object[] { new String[0] }, new String[] { String[].class.getName() });
		}
		catch (JMException | RuntimeException ex) {
			// An older JDK, or another JVM: memory stays with the allocator, as before.
			this.trimUnavailable = true;
			log.debug("This JVM cannot trim the native heap ({}); freed decoder memory stays with the C allocator",
					ex.toString());
		}
	}

	/**
	 * The size of a progressive JPEG's coefficient buffer, read from its frame header.
	 * @param jpeg the encoded image
	 * @return the buffer's size in bytes; 0 for a baseline JPEG, or where no frame header
	 * is found before the image data (the decoder then refuses the image)
	 */
	static long progressiveJpegBytes(byte[] jpeg) {
		if (jpeg.length < 4 || (jpeg[0] & 0xFF) != 0xFF || (jpeg[1] & 0xFF) != 0xD8) {
			return 0;
		}
		int at = 2;
		while (at + 4 <= jpeg.length) {
			if ((jpeg[at] & 0xFF) != 0xFF) {
				return 0;
			}
			int marker = jpeg[at + 1] & 0xFF;
			if (marker == 0xFF) {
				at++;
				continue;
			}
			if (marker == 0x01 || (marker >= 0xD0 && marker <= 0xD8)) {
				at += 2;
				continue;
			}
			if (marker == 0xD9 || marker == 0xDA) {
				return 0;
			}
			int length = ((jpeg[at + 2] & 0xFF) << 8) | (jpeg[at + 3] & 0xFF);
			boolean frame = marker >= 0xC0 && marker <= 0xCF && marker != 0xC4 && marker != 0xC8 && marker != 0xCC;
			if (frame) {
				boolean progressive = marker == 0xC2 || marker == 0xC6 || marker == 0xCA || marker == 0xCE;
				return progressive ? coefficientBytes(jpeg, at + 4, length - 2) : 0;
			}
			if (length < 2) {
				return 0;
			}
			at += 2 + length;
		}
		return 0;
	}

	/**
	 * A frame header: precision, height, width, then id, sampling and table per
	 * component.
	 */
	private static long coefficientBytes(byte[] jpeg, int from, int length) {
		if (length < 6 || from + length > jpeg.length) {
			return 0;
		}
		int height = ((jpeg[from + 1] & 0xFF) << 8) | (jpeg[from + 2] & 0xFF);
		int width = ((jpeg[from + 3] & 0xFF) << 8) | (jpeg[from + 4] & 0xFF);
		int components = jpeg[from + 5] & 0xFF;
		if (length < 6 + 3 * components) {
			return 0;
		}
		int maxH = 1;
		int maxV = 1;
		for (int c = 0; c < components; c++) {
			int sampling = jpeg[from + 7 + 3 * c] & 0xFF;
			maxH = Math.max(maxH, sampling >> 4);
			maxV = Math.max(maxV, sampling & 0x0F);
		}
		long bytes = 0;
		for (int c = 0; c < components; c++) {
			int sampling = jpeg[from + 7 + 3 * c] & 0xFF;
			int h = Math.max(1, sampling >> 4);
			int v = Math.max(1, sampling & 0x0F);
			// Blocks are kept in whole units of the component's sampling, as libjpeg
			// does.
			long across = roundUp(ceilDiv((long) width * h, 8L * maxH), h);
			long down = roundUp(ceilDiv((long) height * v, 8L * maxV), v);
			bytes += across * down * 64 * Short.BYTES;
		}
		return bytes;
	}

	private static long ceilDiv(long value, long divisor) {
		return (value + divisor - 1) / divisor;
	}

	private static long roundUp(long value, long multiple) {
		return ceilDiv(value, multiple) * multiple;
	}

	/** The permits, kibibytes, and how many there are in all. */
	private record Budget(Semaphore permits, int total) {
	}

	/** A reservation, given back when closed. */
	interface Lease extends AutoCloseable {

		@Override
		void close();

	}

}
