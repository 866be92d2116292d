package dev.skyfold.local.resilience;

import java.sql.SQLTransientConnectionException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.function.Predicate;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.BroadcastException;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.MessageStore;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.cloud.client.circuitbreaker.CircuitBreakerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Puts the chat's store ({@value #STORE}) and each push broadcaster
 * ({@code broadcast-<name>}) behind a circuit breaker of Spring Cloud CircuitBreaker
 * (Resilience4j), configured under {@code resilience4j.circuitbreaker}: once a dependency
 * keeps failing, calls to it are refused at once (a post answers 503; a push fails as
 * transient without waiting for its retries) until a probe finds it back. Each client's
 * own deadline (the store's pool, FCM's timeouts) bounds the calls that still go through.
 */
@Configuration(proxyBeanMethods = false)
public class DependencyBreakers {

	/** The chat store's breaker. */
	public static final String STORE = "chat-store";

	/** The start of each push broadcaster's breaker name; its name follows. */
	public static final String BROADCAST = "broadcast-";

	@Bean
	static BeanPostProcessor dependencyBreakerWrapper(ObjectProvider<CircuitBreakerFactory<?, ?>> breakers) {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof MessageStore store) {
					return new BreakingMessageStore(store, breaker(breakers, STORE, (failure) -> !isPoolBusy(failure)));
				}
				if (bean instanceof Broadcaster broadcaster) {
					return new BreakingBroadcaster(broadcaster,
							breaker(breakers, BROADCAST + broadcaster.name(), (failure) -> true));
				}
				return bean;
			}

		};
	}

	/**
	 * Whether a store failure is a connection pool whose connections were all in use for
	 * its whole wait: the store is busy, not down (then the pool names the connection
	 * failure as the cause), and refusing every post for a while would make a burst an
	 * outage.
	 */
	static boolean isPoolBusy(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof SQLTransientConnectionException) {
				return cause.getCause() == null;
			}
		}
		return false;
	}

	private static Breaker breaker(ObjectProvider<CircuitBreakerFactory<?, ?>> breakers, String name,
			Predicate<RuntimeException> outage) {
		return new Breaker(name, breakers.getObject().create(name), outage);
	}

	/** A message store whose calls go through its breaker. */
	private record BreakingMessageStore(MessageStore store, Breaker breaker) implements MessageStore {

		@Override
		public Saved save(NewMessage message, String id, Instant createdAt) {
			return Objects.requireNonNull(this.breaker.call(() -> this.store.save(message, id, createdAt)));
		}

		@Override
		public List<ChatMessage> latest(String room, @Nullable HistoryPosition before, int limit) {
			return Objects.requireNonNull(this.breaker.call(() -> this.store.latest(room, before, limit)));
		}

	}

	/** A broadcaster whose calls go through its breaker. */
	private record BreakingBroadcaster(Broadcaster broadcaster, Breaker breaker) implements Broadcaster {

		@Override
		public void broadcast(ChatMessage message) {
			try {
				this.breaker.run(() -> this.broadcaster.broadcast(message));
			}
			catch (DependencyUnavailableException ex) {
				throw BroadcastException.unavailable(ex.getMessage(), ex);
			}
		}

		@Override
		public String name() {
			return this.broadcaster.name();
		}

		@Override
		public Duration longestAttempt() {
			return this.broadcaster.longestAttempt();
		}

	}

}
