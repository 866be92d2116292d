package dev.skyfold.local.web;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.SocketTimeoutException;
import java.time.Duration;

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

	private static final int CHUNK = 64 * 1024;

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
		ByteArrayOutputStream body = new ByteArrayOutputStream();
		byte[] chunk = new byte[CHUNK];
		try {
			for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
				body.write(chunk, 0, n);
				if (body.size() > max) {
					throw tooLarge(limit, setting);
				}
				long elapsed = System.nanoTime() - started;
				if (elapsed > grace && body.size() < perNano * elapsed) {
					AbandonedBodies.abandon(request);
					throw new BodyTooSlowException(body.size(), Duration.ofNanos(elapsed), properties.minBodyRate());
				}
			}
		}
		catch (SocketTimeoutException ex) {
			AbandonedBodies.abandon(request);
			throw new BodyTooSlowException(body.size(), Duration.ofNanos(System.nanoTime() - started),
					properties.minBodyRate());
		}
		return body.toByteArray();
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
