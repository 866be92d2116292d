package dev.skyfold.local.resilience;

import java.util.function.Predicate;
import java.util.function.Supplier;

import dev.skyfold.kernel.RejectedInputException;
import org.jspecify.annotations.Nullable;

import org.springframework.cloud.client.circuitbreaker.CircuitBreaker;

/**
 * One dependency's circuit breaker. A failure of the dependency counts against it and is
 * thrown as it was; a call the dependency rejected as bad input is its caller's fault,
 * and a failure the dependency says is not an outage (a busy pool, say) is thrown as it
 * was too, and neither counts; while the breaker is open, calls are refused at once with
 * {@link DependencyUnavailableException}.
 */
final class Breaker {

	private final String dependency;

	private final CircuitBreaker breaker;

	private final Predicate<RuntimeException> outage;

	/**
	 * Creates a breaker.
	 * @param dependency the dependency's name
	 * @param breaker its circuit breaker
	 * @param outage which failures count against it
	 */
	Breaker(String dependency, CircuitBreaker breaker, Predicate<RuntimeException> outage) {
		this.dependency = dependency;
		this.breaker = breaker;
		this.outage = outage;
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
			catch (RuntimeException ex) {
				if (ex instanceof RejectedInputException || !this.outage.test(ex)) {
					return new Outcome<>(null, ex);
				}
				thrown[0] = ex;
				throw ex;
			}
		}, (failure) -> {
			if (failure == thrown[0]) {
				throw thrown[0];
			}
			throw new DependencyUnavailableException(this.dependency, failure);
		});
		if (outcome.passed() != null) {
			throw outcome.passed();
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

	/** What the call returned, or a failure it threw that does not count. */
	private record Outcome<T>(@Nullable T value, @Nullable RuntimeException passed) {
	}

}
