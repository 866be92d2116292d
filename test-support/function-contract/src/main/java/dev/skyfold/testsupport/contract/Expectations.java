package dev.skyfold.testsupport.contract;

import java.time.Duration;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The checks every case shares: what an accepted call and a refusal look like on any
 * host, derived from the host's trigger and {@link Host}'s table, never from the driver.
 */
final class Expectations {

	private static final Duration PUSH_WAIT = Duration.ofSeconds(10);

	private static final Duration QUIET_WAIT = Duration.ofMillis(500);

	private Expectations() {
	}

	static void expectDone(Answer answer, Host host, SkyfoldFunction function) {
		assertThat(answer.verdict()).as("%s of %s on %s", answer, function.functionName(), host)
			.isEqualTo(Verdict.DONE);
		if (answer.status() != null) {
			assertThat(answer.status()).as("HTTP status of %s on %s", function.functionName(), host)
				.isEqualTo(host.successStatus(function));
		}
	}

	/**
	 * A refusal of the expected kind, with a detail that says why; over HTTP, a problem
	 * document whose status is the answer's.
	 */
	static void expectRefused(Answer answer, Trigger trigger, Verdict expected, String detailFragment) {
		if (trigger.reportsRejectionKind() || expected == Verdict.UNAUTHENTICATED || expected == Verdict.FORBIDDEN) {
			assertThat(answer.verdict()).as("%s", answer).isEqualTo(expected);
		}
		else {
			assertThat(answer.verdict()).as("%s", answer).isIn(expected, Verdict.REJECTED);
		}
		if (answer.status() != null) {
			assertThat(answer.status()).as("%s", answer).isEqualTo(expected.status());
			assertThat(answer.contentType()).as("content type of %s", answer).startsWith("application/problem+json");
			assertThat(answer.body().path("status").asInt()).as("problem status in %s", answer)
				.isEqualTo(expected.status());
			assertThat(answer.body().path("title").asString("")).as("problem title in %s", answer).isNotBlank();
		}
		assertThat(answer.detail().toLowerCase(Locale.ROOT)).as("detail of %s", answer)
			.contains(detailFragment.toLowerCase(Locale.ROOT));
	}

	/** Waits, within a bound, until the texts sent so far contain the one expected. */
	static List<String> awaitPushed(Supplier<List<String>> pushed, String text) {
		long deadline = System.nanoTime() + PUSH_WAIT.toNanos();
		List<String> seen = pushed.get();
		while (!seen.contains(text) && System.nanoTime() < deadline) {
			pause(Duration.ofMillis(50));
			seen = pushed.get();
		}
		assertThat(seen).as("texts sent to the room's subscribers").contains(text);
		return seen;
	}

	/**
	 * Lets what a refused call might wrongly have sent arrive, then checks nothing did.
	 */
	static void expectNothingPushed(Supplier<List<String>> pushed) {
		pause(QUIET_WAIT);
		assertThat(pushed.get()).as("texts sent to the room's subscribers").isEmpty();
	}

	private static void pause(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted while waiting", ex);
		}
	}

}
