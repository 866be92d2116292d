package dev.skyfold.local.security;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;

import dev.skyfold.kernel.access.Role;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * Who may sign in to the local app and how often they may write, under
 * {@code skyfold.security}. Which claim holds the roles
 * ({@code skyfold.security.roles-claim}) is the chat core's setting, the same on every
 * host.
 *
 * @param users the people who may sign in to the embedded issuer, by user name; with
 * none, the first start creates an {@code admin} with a generated password
 * @param clients the scripts that may get a token from the embedded issuer with the
 * client-credentials grant, by client id
 * @param tokenLifetime how long a token of the embedded issuer is valid
 * @param corsAllowedOrigins the origins of other sites' pages that may call the API; none
 * by default
 * @param rateLimits how often one signed-in caller may write
 */
@ConfigurationProperties("skyfold.security")
public record SecurityProperties(@DefaultValue Map<String, Account> users, @DefaultValue Map<String, Client> clients,
		@DefaultValue("15m") Duration tokenLifetime, @DefaultValue List<String> corsAllowedOrigins,
		@DefaultValue RateLimits rateLimits) {

	/**
	 * A person who signs in with a password.
	 *
	 * @param password the password in Spring Security's encoded form, such as
	 * {@code {bcrypt}$2a$10$...}
	 * @param roles the roles granted
	 */
	public record Account(String password, @DefaultValue Set<Role> roles) {

		@Override
		public String toString() {
			return "Account[roles=" + this.roles + "]";
		}

	}

	/**
	 * A script that signs in with a client secret.
	 *
	 * @param secret the secret in Spring Security's encoded form
	 * @param roles the roles granted
	 */
	public record Client(String secret, @DefaultValue Set<Role> roles) {

		@Override
		public String toString() {
			return "Client[roles=" + this.roles + "]";
		}

	}

	/**
	 * Token buckets per signed-in caller.
	 *
	 * @param enabled whether writes are limited at all (switch off for benchmarks)
	 * @param posts posted messages
	 * @param uploads uploaded objects
	 * @param thumbnails thumbnails made on demand
	 */
	public record RateLimits(@DefaultValue("true") boolean enabled, @Nullable Limit posts, @Nullable Limit uploads,
			@Nullable Limit thumbnails) {

		/**
		 * Limits not configured get the defaults: posts 5/s, bursts of 20; the others
		 * 2/s, 10.
		 */
		public RateLimits {
			posts = (posts != null) ? posts : new Limit(5, 20);
			uploads = (uploads != null) ? uploads : new Limit(2, 10);
			thumbnails = (thumbnails != null) ? thumbnails : new Limit(2, 10);
		}

	}

	/**
	 * One token bucket.
	 *
	 * @param perSecond how many requests a second it allows over time
	 * @param burst how many it allows at once
	 */
	public record Limit(long perSecond, long burst) {

		public Limit {
			if (perSecond < 1 || burst < 1) {
				throw new IllegalArgumentException("A rate limit needs a per-second and a burst of at least 1, not "
						+ perSecond + " and " + burst);
			}
		}

	}

}
