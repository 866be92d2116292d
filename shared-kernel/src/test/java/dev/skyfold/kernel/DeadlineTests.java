package dev.skyfold.kernel;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Deadline}: what fits before it, and none.
 */
class DeadlineTests {

	@Test
	void allowsWorkThatFitsInTheTimeLeftOnly() {
		Deadline deadline = Deadline.after(Duration.ofMinutes(1));
		assertThat(deadline.allows(Duration.ofSeconds(30))).isTrue();
		assertThat(deadline.allows(Duration.ofMinutes(2))).isFalse();
		assertThat(deadline.remaining()).isBetween(Duration.ofSeconds(59), Duration.ofMinutes(1));
	}

	@Test
	void allowsNothingButNoWorkOncePassed() throws InterruptedException {
		Deadline deadline = Deadline.after(Duration.ofMillis(1));
		Thread.sleep(5);
		assertThat(deadline.remaining()).isZero();
		assertThat(deadline.allows(Duration.ofMillis(1))).isFalse();
		assertThat(deadline.allows(Duration.ZERO)).isTrue();
		assertThat(Deadline.after(Duration.ofSeconds(-5)).remaining()).isZero();
	}

	@Test
	void allowsAnyWorkWithoutADeadline() {
		assertThat(Deadline.none().allows(Duration.ofDays(365))).isTrue();
		assertThat(Deadline.none().remaining()).isGreaterThan(Duration.ofDays(365));
		assertThat(Deadline.none()).hasToString("no deadline");
	}

}
