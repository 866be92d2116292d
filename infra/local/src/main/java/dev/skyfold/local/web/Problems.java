package dev.skyfold.local.web;

import java.io.IOException;
import java.net.URI;
import java.util.function.Predicate;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.local.resilience.DependencyUnavailableException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.dao.DataAccessResourceFailureException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

/**
 * Turns failures into RFC 9457 problem details: a function's rejection becomes its 4xx
 * status with the function's own message, JSON that does not parse or bind a 400,
 * anything else a bare 500 without internals.
 */
public final class Problems {

	/**
	 * When to try again after a 503, in seconds: the store's pool waits 0.5 s per try,
	 * and an open circuit breaker lets a probe through after a few seconds.
	 */
	public static final String RETRY_AFTER_SECONDS = "2";

	private static final String NO_SPACE = "No space left on device";

	private Problems() {
	}

	/**
	 * The problem that describes a failure.
	 * @param failure what was caught
	 * @return the problem
	 */
	public static ProblemDetail of(Throwable failure) {
		if (findIn(failure, DataAccessResourceFailureException.class) != null) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
					"The chat's store cannot be reached; nothing was stored. Try again shortly");
		}
		RequestBodies.BodyTooSlowException slow = findIn(failure, RequestBodies.BodyTooSlowException.class);
		if (slow != null) {
			return problem(HttpStatus.REQUEST_TIMEOUT, "Request timeout", slow.getMessage() + "; nothing was done");
		}
		if (isDiskFull(failure)) {
			return problem(HttpStatus.INSUFFICIENT_STORAGE, "Insufficient storage",
					"The data folder is full; nothing was stored");
		}
		DependencyUnavailableException unavailable = findIn(failure, DependencyUnavailableException.class);
		if (unavailable != null) {
			return problem(HttpStatus.SERVICE_UNAVAILABLE, "Service unavailable",
					unavailable.getMessage() + "; nothing was stored. Try again shortly");
		}
		RejectedInputException rejected = RejectedInputException.findIn(failure);
		JacksonException malformed = findJsonError(failure);
		if (rejected == null && malformed != null) {
			String message = String.valueOf(malformed.getOriginalMessage());
			return problem(HttpStatus.BAD_REQUEST, Rejection.INVALID.title(), "Malformed JSON: " + message);
		}
		if (rejected == null) {
			return problem(HttpStatus.INTERNAL_SERVER_ERROR, "Internal error",
					"The function failed unexpectedly; the server log has the details");
		}
		return problem(HttpStatus.valueOf(rejected.rejection().httpStatus()), rejected.rejection().title(),
				rejected.getMessage());
	}

	/** Java names a full disk only in the operating system's message (ENOSPC). */
	private static boolean isDiskFull(Throwable failure) {
		return findIn(failure, (cause) -> cause.getMessage() != null && cause.getMessage().contains(NO_SPACE)) != null;
	}

	private static @Nullable JacksonException findJsonError(Throwable failure) {
		return findIn(failure, JacksonException.class);
	}

	private static <T extends Throwable> @Nullable T findIn(Throwable failure, Class<T> type) {
		return type.cast(findIn(failure, type::isInstance));
	}

	private static @Nullable Throwable findIn(Throwable failure, Predicate<Throwable> test) {
		Throwable cause = failure;
		// Bounded, since a chain of causes may loop.
		for (int depth = 0; cause != null && depth < 64; depth++, cause = cause.getCause()) {
			if (test.test(cause)) {
				return cause;
			}
		}
		return null;
	}

	/**
	 * A problem with a status, title and detail.
	 * @param status the HTTP status
	 * @param title a short summary
	 * @param detail what happened, in words
	 * @return the problem
	 */
	public static ProblemDetail problem(HttpStatus status, String title, String detail) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(status, detail);
		problem.setTitle(title);
		return problem;
	}

	/**
	 * Writes a problem as a filter's answer, with the request's path as its instance.
	 * @param json writes the problem
	 * @param request the request
	 * @param response the response, not committed yet
	 * @param problem the problem
	 * @throws IOException when the answer cannot be written
	 */
	public static void write(JsonMapper json, HttpServletRequest request, HttpServletResponse response,
			ProblemDetail problem) throws IOException {
		problem.setInstance(URI.create(request.getRequestURI()));
		response.setStatus(problem.getStatus());
		response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
		json.writeValue(response.getOutputStream(), problem);
	}

	/**
	 * A problem response, for handlers whose normal body is not JSON.
	 * @param <T> the handler's body type
	 * @param status the HTTP status
	 * @param title a short summary
	 * @param detail what happened, in words
	 * @return the response
	 */
	@SuppressWarnings("unchecked")
	public static <T> ResponseEntity<T> response(HttpStatus status, String title, String detail) {
		return (ResponseEntity<T>) ResponseEntity.status(status)
			.contentType(MediaType.APPLICATION_PROBLEM_JSON)
			.body(problem(status, title, detail));
	}

}
