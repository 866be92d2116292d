package dev.skyfold.local.web;

import java.io.IOException;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import jakarta.servlet.http.HttpServletRequest;

import org.springframework.util.unit.DataSize;

/**
 * Reads request bodies whole, but never more than a limit, so one oversized request
 * cannot exhaust the heap.
 */
public final class RequestBodies {

	private RequestBodies() {
	}

	/**
	 * Reads a request's body, up to {@code skyfold.local.max-body-size}.
	 * @param request the request
	 * @param limit the largest body accepted
	 * @return the body
	 * @throws RejectedInputException ({@link Rejection#TOO_LARGE}) for a larger body,
	 * refused from its {@code Content-Length} before it is read where the client sent one
	 * @throws IOException when the body cannot be read
	 */
	public static byte[] read(HttpServletRequest request, DataSize limit) throws IOException {
		return read(request, limit, "skyfold.local.max-body-size");
	}

	/**
	 * Reads a request's body.
	 * @param request the request
	 * @param limit the largest body accepted
	 * @param setting the setting that sets the limit, named in the refusal
	 * @return the body
	 * @throws RejectedInputException ({@link Rejection#TOO_LARGE}) for a larger body,
	 * refused from its {@code Content-Length} before it is read where the client sent one
	 * @throws IOException when the body cannot be read
	 */
	public static byte[] read(HttpServletRequest request, DataSize limit, String setting) throws IOException {
		long max = limit.toBytes();
		if (request.getContentLengthLong() > max) {
			throw tooLarge(limit, setting);
		}
		byte[] body = request.getInputStream().readNBytes(Math.toIntExact(max + 1));
		if (body.length > max) {
			throw tooLarge(limit, setting);
		}
		return body;
	}

	private static RejectedInputException tooLarge(DataSize limit, String setting) {
		return new RejectedInputException(Rejection.TOO_LARGE,
				"Request body too large: this server takes at most " + describe(limit) + " (" + setting + ")");
	}

	private static String describe(DataSize size) {
		return (size.toBytes() % (1024 * 1024) == 0) ? size.toMegabytes() + " MB" : size.toBytes() + " bytes";
	}

}
