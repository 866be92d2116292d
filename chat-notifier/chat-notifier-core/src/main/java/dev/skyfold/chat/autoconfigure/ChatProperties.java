package dev.skyfold.chat.autoconfigure;

import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the chat functions, under {@code skyfold.chat}.
 */
@ConfigurationProperties("skyfold.chat")
public class ChatProperties {

	private final History history = new History();

	private final Broadcast broadcast = new Broadcast();

	public History getHistory() {
		return this.history;
	}

	public Broadcast getBroadcast() {
		return this.broadcast;
	}

	/**
	 * Room history.
	 */
	public static class History {

		/**
		 * How many messages a history request returns when it names no limit (at most
		 * 200).
		 */
		private int defaultLimit = 50;

		public int getDefaultLimit() {
			return this.defaultLimit;
		}

		public void setDefaultLimit(int defaultLimit) {
			this.defaultLimit = defaultLimit;
		}

	}

	/**
	 * Retries of transient broadcast failures (HTTP 429 and 5xx, timeouts).
	 */
	public static class Broadcast {

		/**
		 * Retries after the first attempt.
		 */
		private int maxRetries = 3;

		/**
		 * Wait before the first retry.
		 */
		private Duration initialDelay = Duration.ofMillis(100);

		/**
		 * Factor each wait grows by.
		 */
		private double multiplier = 2.0;

		/**
		 * Longest wait between two attempts.
		 */
		private Duration maxDelay = Duration.ofSeconds(2);

		public int getMaxRetries() {
			return this.maxRetries;
		}

		public void setMaxRetries(int maxRetries) {
			this.maxRetries = maxRetries;
		}

		public Duration getInitialDelay() {
			return this.initialDelay;
		}

		public void setInitialDelay(Duration initialDelay) {
			this.initialDelay = initialDelay;
		}

		public double getMultiplier() {
			return this.multiplier;
		}

		public void setMultiplier(double multiplier) {
			this.multiplier = multiplier;
		}

		public Duration getMaxDelay() {
			return this.maxDelay;
		}

		public void setMaxDelay(Duration maxDelay) {
			this.maxDelay = maxDelay;
		}

	}

}
