package dev.skyfold.local.resilience;

import java.net.ConnectException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.util.function.Predicate;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import io.github.resilience4j.circuitbreaker.CircuitBreakerConfig;
import io.github.resilience4j.circuitbreaker.CircuitBreakerRegistry;
import io.github.resilience4j.timelimiter.TimeLimiterRegistry;
import org.junit.jupiter.api.Test;

import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JCircuitBreakerFactory;
import org.springframework.cloud.circuitbreaker.resilience4j.Resilience4JConfigurationProperties;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * {@link Breaker} on a real Resilience4j circuit breaker: the dependency's failures count
 * and pass as they were, the caller's rejected input does not count, and an open breaker
 * refuses at once with {@link DependencyUnavailableException}.
 */
class BreakerTests {

	private final AtomicInteger calls = new AtomicInteger();

	private final Breaker breaker = breaker(Duration.ofMinutes(1));

	@Test
	void returnsWhatTheCallReturns() {
		assertThat(this.breaker.call(() -> "stored")).isEqualTo("stored");
	}

	@Test
	void passesTheDependencysFailureAsItWasThenRefusesWithoutCallingOnceOpen() {
		IllegalStateException down = new IllegalStateException("connection refused");
		for (int i = 0; i < 4; i++) {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> this.breaker.run(() -> {
				this.calls.incrementAndGet();
				throw down;
			})).isSameAs(down);
		}

		assertThatExceptionOfType(DependencyUnavailableException.class)
			.isThrownBy(() -> this.breaker.run(this.calls::incrementAndGet))
			.withMessageContaining("test-store is unavailable")
			.satisfies((ex) -> assertThat(ex.dependency()).isEqualTo("test-store"));
		assertThat(this.calls).as("calls that reached the dependency").hasValue(4);
	}

	@Test
	void doesNotCountRejectedInputAgainstTheDependency() {
		RejectedInputException rejected = new RejectedInputException(Rejection.INVALID, "bad room");
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> this.breaker.run(() -> {
				throw rejected;
			})).isSameAs(rejected);
		}

		assertThat(this.breaker.call(() -> "still closed")).isEqualTo("still closed");
	}

	@Test
	void passesAFailureTheDependencyCallsNoOutageWithoutCountingIt() {
		Breaker store = breaker(Duration.ofMinutes(1), (failure) -> !DependencyBreakers.isPoolBusy(failure));
		RuntimeException busy = new RuntimeException(
				new SQLTransientConnectionException("Connection is not available, request timed out after 500ms"));
		for (int i = 0; i < 10; i++) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> store.run(() -> {
				throw busy;
			})).isSameAs(busy);
		}
		assertThat(store.call(() -> "still closed")).isEqualTo("still closed");

		RuntimeException down = new RuntimeException(new SQLTransientConnectionException("Connection is not available",
				new ConnectException("Connection refused")));
		for (int i = 0; i < 4; i++) {
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> store.run(() -> {
				throw down;
			}));
		}
		assertThatExceptionOfType(DependencyUnavailableException.class).isThrownBy(() -> store.call(() -> "refused"));
	}

	@Test
	void letsAProbeThroughOnceTheOpenStateEnds() throws InterruptedException {
		Breaker quick = breaker(Duration.ofMillis(50));
		for (int i = 0; i < 4; i++) {
			assertThatExceptionOfType(IllegalStateException.class).isThrownBy(() -> quick.run(() -> {
				throw new IllegalStateException("down");
			}));
		}
		assertThatExceptionOfType(DependencyUnavailableException.class).isThrownBy(() -> quick.call(() -> "refused"));

		Thread.sleep(100);

		assertThat(quick.call(() -> "back")).isEqualTo("back");
	}

	private static Breaker breaker(Duration open) {
		return breaker(open, (failure) -> true);
	}

	private static Breaker breaker(Duration open, Predicate<RuntimeException> outage) {
		CircuitBreakerRegistry registry = CircuitBreakerRegistry.of(CircuitBreakerConfig.custom()
			.slidingWindowSize(4)
			.minimumNumberOfCalls(4)
			.failureRateThreshold(50)
			.waitDurationInOpenState(open)
			.permittedNumberOfCallsInHalfOpenState(1)
			.build());
		Resilience4JConfigurationProperties properties = new Resilience4JConfigurationProperties();
		properties.setDisableTimeLimiter(true);
		properties.setDisableThreadPool(true);
		Resilience4JCircuitBreakerFactory factory = new Resilience4JCircuitBreakerFactory(registry,
				TimeLimiterRegistry.ofDefaults(), null, properties);
		return new Breaker("test-store", factory.create("test-store"), outage);
	}

}
