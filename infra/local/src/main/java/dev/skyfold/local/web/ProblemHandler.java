package dev.skyfold.local.web;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers every error with a problem JSON body: Spring MVC's own errors as Spring maps
 * them, a function's rejection with its 4xx status (400 corrupt, 413 too large, 415
 * unsupported), a store that cannot be reached with a 503 and {@code Retry-After}, and
 * anything else with a 500 that shows no internals.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

	private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

	@ExceptionHandler(RuntimeException.class)
	ResponseEntity<ProblemDetail> functionFailed(RuntimeException ex) {
		ProblemDetail problem = Problems.of(ex);
		if (problem.getStatus() == HttpStatus.INTERNAL_SERVER_ERROR.value()) {
			log.error("Request failed", ex);
		}
		ResponseEntity.BodyBuilder answer = ResponseEntity.status(problem.getStatus())
			.contentType(MediaType.APPLICATION_PROBLEM_JSON);
		if (problem.getStatus() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
			answer.header(HttpHeaders.RETRY_AFTER, Problems.RETRY_AFTER_SECONDS);
		}
		return answer.body(problem);
	}

}
