package dev.skyfold.local.resilience;

import java.util.function.Supplier;

import dev.skyfold.kernel.RejectedInputException;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;

/**
 * One dependency's circuit breaker. A failure of the dependency counts against it and is
 * thrown as it was; a call the dependency rejected as bad input is its caller's fault and
 * does not count; while the breaker is open, calls are refused at once with
 * {@link DependencyUnavailableException}.
 */
final class Breaker {

	private final String dependency;

	private final CircuitBreaker breaker;

	Breaker(String dependency, CircuitBreaker breaker) {
		this.dependency = dependency;
		this.breaker = breaker;
	}

	/**
	 * Calls the dependency through the breaker.
	 * @param <T> what the call returns
	 * @param call the call
	 * @return what it returned
	 * @throws DependencyUnavailableException while the breaker is open
	 */
	<T> @Nullable T call(Supplier<@Nullable T> call) {
		RuntimeException[] thrown = new RuntimeException[1];
		Outcome<T> outcome = this.breaker.run(() -> {
			try {
				return new Outcome<>(call.get(), null);
			}
			catch (RejectedInputException ex) {
				return new Outcome<>(null, ex);
			}
			catch (RuntimeException ex) {
				thrown[0] = ex;
				throw ex;
			}
		}, (failure) -> {
			if (failure == thrown[0]) {
				throw thrown[0];
			}
			throw new DependencyUnavailableException(this.dependency, failure);
		});
		if (outcome.rejected() != null) {
			throw outcome.rejected();
		}
		return outcome.value();
	}

	/**
	 * Calls the dependency through the breaker.
	 * @param call the call
	 * @throws DependencyUnavailableException while the breaker is open
	 */
	void run(Runnable call) {
		call(() -> {
			call.run();
			return null;
		});
	}

	/** What the call returned, or the rejection it threw, which passes the breaker. */
	private record Outcome<T>(@Nullable T value, @Nullable RejectedInputException rejected) {
	}

}
