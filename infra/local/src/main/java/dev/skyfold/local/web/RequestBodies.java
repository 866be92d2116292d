package dev.skyfold.local.web;

import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.local.LocalProperties;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.unit.DataSize;

/**
 * Reads request bodies whole, but never more than a limit, so one oversized request
 * cannot exhaust the heap, and never slower than {@code skyfold.local.min-body-rate}, so
 * slow senders cannot hold request threads.
 */
public final class RequestBodies {

	/** The first block of a body of unknown length: most are small. */
	private static final int FIRST_BLOCK = 8 * 1024;

	private static final int BLOCK = 256 * 1024;

	private RequestBodies() {
	}

	/**
	 * Reads a request's body, up to {@code skyfold.local.max-body-size}.
	 * @param request the request
	 * @param properties the limits
	 * @return the body
	 * @throws RejectedInputException ({@link Rejection#TOO_LARGE}) for a larger body,
	 * refused from its {@code Content-Length} before it is read where the client sent one
	 * @throws BodyTooSlowException for a body sent too slowly
	 * @throws IOException when the body cannot be read
	 */
	public static byte[] read(HttpServletRequest request, LocalProperties properties) throws IOException {
		return read(request, properties.maxBodySize(), "skyfold.local.max-body-size", properties);
	}

	/**
	 * Reads a JSON request's body, up to {@code skyfold.local.max-json-size}.
	 * @param request the request
	 * @param properties the limits
	 * @return the body
	 * @throws RejectedInputException ({@link Rejection#TOO_LARGE}) for a larger body,
	 * refused from its {@code Content-Length} before it is read where the client sent one
	 * @throws BodyTooSlowException for a body sent too slowly
	 * @throws IOException when the body cannot be read
	 */
	public static byte[] readJson(HttpServletRequest request, LocalProperties properties) throws IOException {
		return read(request, properties.maxJsonSize(), "skyfold.local.max-json-size", properties);
	}

	private static byte[] read(HttpServletRequest request, DataSize limit, String setting, LocalProperties properties)
			throws IOException {
		long max = limit.toBytes();
		if (request.getContentLengthLong() > max) {
			throw tooLarge(limit, setting);
		}
		long started = System.nanoTime();
		long grace = properties.bodyRateGrace().toNanos();
		double perNano = properties.minBodyRate().toBytes() / 1e9;
		InputStream in = request.getInputStream();
		// Gathered in blocks and joined once, at its final size: a buffer that doubles as
		// it grows would need three times a large body's size in one piece of heap.
		long declared = request.getContentLengthLong();
		List<byte[]> full = new ArrayList<>();
		byte[] block = new byte[(int) Math.min(BLOCK, (declared >= 0) ? declared + 1 : FIRST_BLOCK)];
		int used = 0;
		long length = 0;
		try {
			for (int n = in.read(block); n >= 0; n = in.read(block, used, block.length - used)) {
				used += n;
				length += n;
				if (length > max) {
					throw tooLarge(limit, setting);
				}
				long elapsed = System.nanoTime() - started;
				if (elapsed > grace && length < perNano * elapsed) {
					AbandonedBodies.abandon(request);
					throw new BodyTooSlowException(length, Duration.ofNanos(elapsed), properties.minBodyRate());
				}
				if (used == block.length) {
					full.add(block);
					block = new byte[BLOCK];
					used = 0;
				}
			}
		}
		catch (SocketTimeoutException ex) {
			AbandonedBodies.abandon(request);
			throw new BodyTooSlowException(length, Duration.ofNanos(System.nanoTime() - started),
					properties.minBodyRate());
		}
		byte[] body = new byte[Math.toIntExact(length)];
		int copied = 0;
		for (byte[] each : full) {
			System.arraycopy(each, 0, body, copied, each.length);
			copied += each.length;
		}
		System.arraycopy(block, 0, body, copied, used);
		return body;
	}

	private static RejectedInputException tooLarge(DataSize limit, String setting) {
		return new RejectedInputException(Rejection.TOO_LARGE,
				"Request body too large: this server takes at most " + describe(limit) + " (" + setting + ")");
	}

	private static String describe(DataSize size) {
		return (size.toBytes() % (1024 * 1024) == 0) ? size.toMegabytes() + " MB" : size.toBytes() + " bytes";
	}

	/**
	 * A request body that arrived slower than {@code skyfold.local.min-body-rate}, or
	 * stopped: answered 408, and nothing was done with it.
	 */
	public static final class BodyTooSlowException extends RuntimeException {

		BodyTooSlowException(long received, Duration elapsed, DataSize minRate) {
			super("Request body too slow: " + received + " bytes in " + elapsed.toMillis() + " ms, below the "
					+ minRate.toBytes() + " bytes per second this server waits for (skyfold.local.min-body-rate)");
		}

	}

}
