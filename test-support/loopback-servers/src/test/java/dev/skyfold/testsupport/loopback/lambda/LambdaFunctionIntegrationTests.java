package dev.skyfold.testsupport.loopback.lambda;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import dev.skyfold.testsupport.loopback.lambda.LambdaFunction.Invocation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The Runtime API against AWS's real runtime interface client, with handlers from this
 * module's test classes.
 */
class LambdaFunctionIntegrationTests {

	private static final Path CLASSES = Path.of("target/test-classes");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	@Test
	void handsEventsToTheFunctionOneAfterAnotherAndReturnsItsResponses() {
		try (LambdaFunction function = start(EchoHandler.class)) {
			Invocation first = function.invoke("{\"n\":1}", TIMEOUT);
			Invocation second = function.invoke("{\"n\":2}", TIMEOUT);

			assertThat(first.failed()).as("%s\n%s", first.body(), function.log()).isFalse();
			assertThat(first.body()).startsWith("{\"event\":{\"n\":1},\"requestId\":\"")
				.endsWith("\"greeting\":\"hello\"}");
			assertThat(second.body()).startsWith("{\"event\":{\"n\":2}");
			assertThat(first.body()).isNotEqualTo(second.body().replace("\"n\":2", "\"n\":1"));
		}
	}

	@Test
	void reportsTheFunctionsErrorWithItsType() {
		try (LambdaFunction function = start(FailingHandler.class)) {
			Invocation answer = function.invoke("{}", TIMEOUT);

			assertThat(answer.failed()).isTrue();
			assertThat(answer.body()).contains("no thanks").contains("IllegalArgumentException");
			assertThat(answer.errorType()).isNotBlank();
		}
	}

	@Test
	void failsTheInvocationWhenTheFunctionCannotStart() {
		try (LambdaFunction function = start(BrokenHandler.class)) {
			assertThatIllegalStateException().isThrownBy(() -> function.invoke("{}", TIMEOUT))
				.withMessageContaining("broken on purpose");
		}
	}

	private static LambdaFunction start(Class<?> handler) {
		return LambdaFunction.start(CLASSES, handler.getName() + "::handleRequest", Map.of("GREETING", "hello"),
				List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
	}

}
