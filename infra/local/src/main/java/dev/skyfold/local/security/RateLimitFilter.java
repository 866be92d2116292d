package dev.skyfold.local.security;

import java.io.IOException;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.imageresizer.application.ThumbnailFunction;
import dev.skyfold.local.web.Problems;
import io.github.bucket4j.Bucket;
import io.github.bucket4j.BucketConfiguration;
import io.github.bucket4j.ConsumptionProbe;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.security.authentication.AuthenticationTrustResolverImpl;
import org.springframework.security.core.Authentication;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Limits how often one signed-in caller may write: a token bucket per caller for posted
 * messages, uploads and thumbnails. Over the limit, the answer is a 429 problem with
 * {@code Retry-After}, and the request goes no further: nothing is stored.
 */
final class RateLimitFilter extends OncePerRequestFilter {

	/** Which limit a request counts against. */
	enum Kind {

		POSTS, UPLOADS, THUMBNAILS;

		String id() {
			return name().toLowerCase(Locale.ROOT);
		}

	}

	private final Map<Kind, BucketConfiguration> limits;

	private final Buckets buckets;

	private final String functions;

	private final JsonMapper json;

	private final MeterRegistry meters;

	/**
	 * Limits writes.
	 * @param limits the limits
	 * @param buckets the buckets, in this instance or shared through Redis
	 * @param functionsPath where the functions are served, such as {@code /fn}
	 * @param json writes the problems
	 * @param meters counts refused requests
	 */
	RateLimitFilter(SecurityProperties.RateLimits limits, Buckets buckets, String functionsPath, JsonMapper json,
			MeterRegistry meters) {
		this.limits = Map.of(Kind.POSTS, configuration(limits.posts()), Kind.UPLOADS, configuration(limits.uploads()),
				Kind.THUMBNAILS, configuration(limits.thumbnails()));
		this.buckets = buckets;
		this.functions = functionsPath.endsWith("/") ? functionsPath : functionsPath + "/";
		this.json = json;
		this.meters = meters;
	}

	/**
	 * Buckets kept in this instance's memory, one per caller and limit.
	 * @return the buckets
	 */
	static Buckets inProcess() {
		Map<String, Bucket> buckets = new ConcurrentHashMap<>();
		return (key, configuration) -> buckets
			.computeIfAbsent(key, (ignored) -> Bucket.builder().addLimit(configuration.getBandwidths()[0]).build())
			.tryConsumeAndReturnRemaining(1);
	}

	private static BucketConfiguration configuration(SecurityProperties.Limit limit) {
		return BucketConfiguration.builder()
			.addLimit((bandwidth) -> bandwidth.capacity(limit.burst())
				.refillGreedy(limit.perSecond(), Duration.ofSeconds(1)))
			.build();
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return kind(request) == null;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		Kind kind = kind(request);
		Authentication caller = SecurityContextHolder.getContext().getAuthentication();
		if (kind == null || caller == null || !new AuthenticationTrustResolverImpl().isAuthenticated(caller)) {
			chain.doFilter(request, response);
			return;
		}
		String name = Caller.of(caller).name();
		ConsumptionProbe probe = this.buckets.tryConsume("skyfold:rate:" + kind.id() + ":" + name,
				this.limits.get(kind));
		if (probe.isConsumed()) {
			chain.doFilter(request, response);
			return;
		}
		long retryAfter = Math.max(1, Duration.ofNanos(probe.getNanosToWaitForRefill()).toSeconds()
				+ ((probe.getNanosToWaitForRefill() % 1_000_000_000L > 0) ? 1 : 0));
		this.meters.counter("skyfold.security.rate.limited", "limit", kind.id()).increment();
		ProblemDetail problem = Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "Too many requests",
				"Too many " + kind.id() + " from '" + name + "' (skyfold.security.rate-limits." + kind.id()
						+ "): try again in " + retryAfter + " s");
		response.setHeader(HttpHeaders.RETRY_AFTER, Long.toString(retryAfter));
		Problems.write(this.json, request, response, problem);
	}

	private @Nullable Kind kind(HttpServletRequest request) {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		if ("PUT".equals(request.getMethod()) && path.startsWith("/objects/")) {
			return Kind.UPLOADS;
		}
		if (!"POST".equals(request.getMethod()) || !path.startsWith(this.functions)) {
			return null;
		}
		String function = path.substring(this.functions.length());
		if (function.equals(PostMessageFunction.NAME)) {
			return Kind.POSTS;
		}
		return function.equals(ThumbnailFunction.NAME) ? Kind.THUMBNAILS : null;
	}

	/**
	 * Token buckets by key.
	 */
	@FunctionalInterface
	interface Buckets {

		/**
		 * Takes one token from the bucket a key names.
		 * @param key the key
		 * @param configuration the bucket's limit, when it is new
		 * @return whether a token was taken, and when the next one comes
		 */
		ConsumptionProbe tryConsume(String key, BucketConfiguration configuration);

	}

}
