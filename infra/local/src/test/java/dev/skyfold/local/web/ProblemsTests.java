package dev.skyfold.local.web;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How failures become problem details.
 */
class ProblemsTests {

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@ParameterizedTest
	@EnumSource(Rejection.class)
	void mapsEachRejectionToItsStatusTitleAndDetail(Rejection rejection) {
		ProblemDetail problem = Problems.of(new RejectedInputException(rejection, "What the function said"));

		assertThat(problem.getStatus()).isEqualTo(rejection.httpStatus());
		assertThat(problem.getTitle()).isEqualTo(rejection.title());
		assertThat(problem.getDetail()).isEqualTo("What the function said");
	}

	@Test
	void mapsRejectionsToClientErrors() {
		assertThat(Problems.of(new RejectedInputException(Rejection.INVALID, "x")).getStatus()).isEqualTo(400);
		assertThat(Problems.of(new RejectedInputException(Rejection.TOO_LARGE, "x")).getStatus()).isEqualTo(413);
		assertThat(Problems.of(new RejectedInputException(Rejection.UNSUPPORTED, "x")).getStatus()).isEqualTo(415);
	}

	@Test
	void findsRejectionWrappedInOtherExceptions() {
		RejectedInputException rejected = new RejectedInputException(Rejection.TOO_LARGE, "Image too large: 9 MP");
		Throwable wrapped = new IllegalStateException("function failed",
				new CompletionException(new UncheckedIOException(new IOException("read failed", rejected))));

		ProblemDetail problem = Problems.of(wrapped);

		assertThat(problem.getStatus()).isEqualTo(413);
		assertThat(problem.getTitle()).isEqualTo(Rejection.TOO_LARGE.title());
		assertThat(problem.getDetail()).isEqualTo("Image too large: 9 MP");
	}

	@Test
	void mapsWrappedJsonErrorToBadRequest() {
		JacksonException malformed = malformedJson("{\"bucket\":\"skyfold\",");

		ProblemDetail problem = Problems.of(new IllegalStateException("conversion failed", malformed));

		assertThat(problem.getStatus()).isEqualTo(400);
		assertThat(problem.getTitle()).isEqualTo(Rejection.INVALID.title());
		assertThat(problem.getDetail()).startsWith("Malformed JSON").contains(malformed.getOriginalMessage());
	}

	@Test
	void mapsRejectionRaisedWhileBindingJsonToTheRejection() {
		JacksonException binding = catchThrowableOfType(JacksonException.class,
				() -> JSON.readValue("{\"bucket\":\" \",\"key\":\"a.jpg\"}", ObjectCreated.class));

		ProblemDetail problem = Problems.of(new IllegalStateException(binding));

		assertThat(problem.getStatus()).isEqualTo(400);
		assertThat(problem.getDetail()).isEqualTo("The event names no bucket");
	}

	@Test
	void mapsAnyOtherFailureToInternalErrorThatRevealsNothing() {
		Throwable failure = new IllegalStateException("jdbc:postgresql://db:5432 refused user admin",
				new IOException("/etc/skyfold/secret.key unreadable"));

		ProblemDetail problem = Problems.of(failure);

		assertThat(problem.getStatus()).isEqualTo(500);
		assertThat(problem.getTitle()).isNotBlank();
		assertThat(problem.getDetail()).isNotBlank()
			.doesNotContain("jdbc")
			.doesNotContain("admin")
			.doesNotContain("secret")
			.doesNotContain("IllegalStateException")
			.doesNotContain("Exception");
	}

	@Test
	void mapsFailureWithoutMessageToInternalError() {
		ProblemDetail problem = Problems.of(new NullPointerException());

		assertThat(problem.getStatus()).isEqualTo(500);
		assertThat(problem.getDetail()).isNotBlank().doesNotContain("null").doesNotContain("Exception");
	}

	@Test
	void buildsProblemWithStatusTitleAndDetail() {
		ProblemDetail problem = Problems.problem(HttpStatus.NOT_FOUND, "No such object", "No object has the key 'a'");

		assertThat(problem.getStatus()).isEqualTo(404);
		assertThat(problem.getTitle()).isEqualTo("No such object");
		assertThat(problem.getDetail()).isEqualTo("No object has the key 'a'");
	}

	@Test
	void answersProblemResponseAsProblemJson() {
		ResponseEntity<Object> response = Problems.response(HttpStatus.NOT_FOUND, "No such object", "missing");

		assertThat(response.getStatusCode().value()).isEqualTo(404);
		assertThat(response.getHeaders().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON);
		assertThat(response.getBody()).isInstanceOfSatisfying(ProblemDetail.class, (problem) -> {
			assertThat(problem.getStatus()).isEqualTo(404);
			assertThat(problem.getTitle()).isEqualTo("No such object");
			assertThat(problem.getDetail()).isEqualTo("missing");
		});
	}

	private static JacksonException malformedJson(String json) {
		JacksonException malformed = catchThrowableOfType(JacksonException.class, () -> JSON.readTree(json));
		assertThat(malformed).as("Jackson refuses %s", json).isNotNull();
		return malformed;
	}

}
