package dev.skyfold.local.chat;

import java.io.IOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

import dev.skyfold.kernel.access.Role;
import dev.skyfold.local.security.SelfIssuedTokens;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.web.server.autoconfigure.ServerProperties;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContext;
import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;

/**
 * Real requests from the app to its own server over loopback, for the chat's warm-up:
 * live streams of a room and history reads, through the connector, the access rule and
 * the functions' web layer that users' requests take, with a token of the app's own
 * issuer that grants only {@link Role#VIEWER} (it reads; it never posts). Only possible
 * when the app is its own issuer and serves plain HTTP on a port; otherwise the warm-up
 * stays in process.
 */
final class LoopbackTraffic implements AutoCloseable {

	/** Long enough for the warm-up, short enough to be worthless soon after. */
	private static final Duration TOKEN_LIFETIME = Duration.ofMinutes(2);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();

	private final URI base;

	private final String functionsPath;

	private final String authorization;

	private final List<Stream> streams = new ArrayList<>();

	private int requests;

	LoopbackTraffic(URI base, String functionsPath, String token) {
		this.base = base;
		this.functionsPath = functionsPath.endsWith("/") ? functionsPath : functionsPath + "/";
		this.authorization = "Bearer " + token;
	}

	/**
	 * Traffic to the app's own server, when it can be sent.
	 * @param context the app, whose web server has started
	 * @param server the server's settings: its address and context path
	 * @param tokens the embedded issuer's tokens; {@code null} with an external issuer
	 * @param functionsPath where the functions are served, such as {@code /fn}
	 * @param subject whom the token names
	 * @return the traffic, or {@code null} when there is no plain HTTP port of this app
	 * to send it to, or no token this app can sign
	 */
	static @Nullable LoopbackTraffic open(ApplicationContext context, @Nullable ServerProperties server,
			@Nullable SelfIssuedTokens tokens, String functionsPath, String subject) {
		if (tokens == null || !(context instanceof WebServerApplicationContext web) || web.getWebServer() == null
				|| web.getWebServer().getPort() <= 0
				|| (server != null && server.getSsl() != null && server.getSsl().isEnabled())) {
			return null;
		}
		InetAddress bound = (server != null) ? server.getAddress() : null;
		InetAddress address = (bound == null || bound.isAnyLocalAddress()) ? InetAddress.getLoopbackAddress() : bound;
		String contextPath = (server != null && server.getServlet().getContextPath() != null)
				? server.getServlet().getContextPath() : "";
		try {
			URI base = new URI("http", null, address.getHostAddress(), web.getWebServer().getPort(), contextPath, null,
					null);
			return new LoopbackTraffic(base, functionsPath, tokens.issue(subject, Role.VIEWER, base, TOKEN_LIFETIME));
		}
		catch (URISyntaxException ex) {
			throw new IllegalStateException("No loopback address for this app's server: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Whether a request carries this traffic's token: it is the warm-up's own.
	 * @param request a request to the app
	 * @return whether it does
	 */
	boolean sent(HttpServletRequest request) {
		String header = request.getHeader(HttpHeaders.AUTHORIZATION);
		return header != null && MessageDigest.isEqual(header.getBytes(StandardCharsets.UTF_8),
				this.authorization.getBytes(StandardCharsets.UTF_8));
	}

	/**
	 * Opens live streams of a room and waits until the app has greeted each, so that they
	 * get every message posted after.
	 * @param room the room
	 * @param count how many
	 * @param wait how long to wait for the greetings
	 * @throws IOException when a stream was refused or not greeted in time
	 */
	void openStreams(String room, int count, Duration wait) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(resolve("rooms/" + room + "/stream"))
			.header(HttpHeaders.AUTHORIZATION, this.authorization)
			.header(HttpHeaders.ACCEPT, MediaType.TEXT_EVENT_STREAM_VALUE)
			.GET()
			.build();
		for (int i = 0; i < count; i++) {
			Stream stream = new Stream();
			this.streams.add(stream);
			this.client.sendAsync(request, HttpResponse.BodyHandlers.fromLineSubscriber(stream));
		}
		long deadline = System.nanoTime() + wait.toNanos();
		for (Stream stream : this.streams) {
			while (!stream.greeted) {
				if (stream.failure != null || System.nanoTime() - deadline > 0) {
					throw new IOException("A live stream over loopback was not opened: " + ((stream.failure != null)
							? stream.failure : "no greeting within " + wait.toSeconds() + " s"));
				}
				LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(1));
			}
		}
	}

	/**
	 * Reads a room's latest messages through {@code messageHistory}, as the chat page
	 * does.
	 * @param room the room
	 * @throws IOException when the request failed or was not answered 200
	 */
	void readHistory(String room) throws IOException {
		HttpRequest request = HttpRequest.newBuilder(resolve(this.functionsPath.substring(1) + "messageHistory"))
			.header(HttpHeaders.AUTHORIZATION, this.authorization)
			.header(HttpHeaders.CONTENT_TYPE, MediaType.APPLICATION_JSON_VALUE)
			.timeout(TIMEOUT)
			.POST(HttpRequest.BodyPublishers.ofString("{\"room\":\"" + room + "\"}"))
			.build();
		try {
			HttpResponse<String> response = this.client.send(request, HttpResponse.BodyHandlers.ofString());
			this.requests++;
			if (response.statusCode() != 200) {
				throw new IOException(
						"messageHistory over loopback answered " + response.statusCode() + ": " + response.body());
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while reading a room's history over loopback", ex);
		}
	}

	/**
	 * The message events the stream that got fewest has received.
	 * @return the events
	 */
	long streamed() {
		return this.streams.stream().mapToLong((stream) -> stream.events).min().orElse(0);
	}

	int streams() {
		return this.streams.size();
	}

	int requests() {
		return this.requests;
	}

	private URI resolve(String path) {
		String basePath = this.base.getPath();
		return this.base.resolve((basePath.endsWith("/") ? basePath : basePath + "/") + path);
	}

	/** Ends the streams: the app drops them at their next write. */
	@Override
	public void close() {
		this.streams.forEach(Stream::cancel);
	}

	/** One live stream: counts its message events, keeps nothing. */
	private static final class Stream implements Flow.Subscriber<String> {

		private volatile Flow.@Nullable Subscription subscription;

		private volatile boolean greeted;

		private volatile long events;

		private volatile @Nullable Throwable failure;

		private volatile boolean cancelled;

		@Override
		public void onSubscribe(Flow.Subscription subscription) {
			this.subscription = subscription;
			if (this.cancelled) {
				subscription.cancel();
			}
			else {
				subscription.request(Long.MAX_VALUE);
			}
		}

		@Override
		public void onNext(String line) {
			if (line.startsWith(": subscribed")) {
				this.greeted = true;
			}
			else if (line.equals("event: message")) {
				this.events++;
			}
		}

		@Override
		public void onError(Throwable failure) {
			this.failure = failure;
		}

		@Override
		public void onComplete() {
			if (!this.greeted) {
				// Refused (a problem, not a stream): no greeting will come.
				this.failure = new IOException("the app answered without opening the stream");
			}
		}

		void cancel() {
			this.cancelled = true;
			Flow.Subscription subscription = this.subscription;
			if (subscription != null) {
				subscription.cancel();
			}
		}

	}

}
