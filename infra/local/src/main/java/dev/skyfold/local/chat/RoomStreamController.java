package dev.skyfold.local.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import dev.skyfold.chat.domain.Rooms;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.web.CallerSlots;
import dev.skyfold.local.web.Problems;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code GET /rooms/{room}/stream}: a Server-Sent Events stream of the room's new
 * messages, one {@code message} event per stored message, its data the message's JSON and
 * its id the message's id; {@link RoomStreams} feeds it. One caller may hold at most
 * {@code skyfold.local.max-streams-per-caller} streams at once (a 429 problem beyond), so
 * that no client takes every connection from the others; at the cap, its streams are
 * probed first, so that those its client dropped free their places at once. Also serves
 * the chat page at {@code /chat}.
 */
@RestController
class RoomStreamController implements WebMvcConfigurer {

	/** How often a caller's streams are probed before it is refused a new one. */
	private static final int PROBES = 3;

	private static final Duration PROBE_WAIT = Duration.ofMillis(20);

	private final RoomStreams streams;

	/** Streams open per caller, so that no one caller holds every connection. */
	private final CallerSlots open;

	private final JsonMapper json;

	RoomStreamController(RoomStreams streams, LocalProperties properties, JsonMapper json) {
		this.streams = streams;
		this.open = new CallerSlots(properties.maxStreamsPerCaller());
		this.json = json;
	}

	@GetMapping(path = "/rooms/{room}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	void stream(@PathVariable String room, HttpServletRequest request, HttpServletResponse response, Principal caller)
			throws IOException {
		Rooms.check(room);
		String name = caller.getName();
		if (!this.open.tryTake(name) && !placeFreedByProbing(name)) {
			Problems.write(this.json, request, response,
					Problems.problem(HttpStatus.TOO_MANY_REQUESTS, "Too many streams", "'" + name + "' has "
							+ this.open.cap()
							+ " live streams open already (skyfold.local.max-streams-per-caller); close one first"));
			return;
		}
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		AsyncContext async = request.startAsync();
		async.setTimeout(0);
		this.streams.open(room, name, async, response.getOutputStream(), () -> this.open.release(name));
	}

	/**
	 * Whether a place comes free once the caller's streams are probed: a client that
	 * dropped its streams (a page reloaded, a script restarted) gets new ones at once
	 * rather than after the next heartbeat. A write to a stream whose client is gone
	 * fails at the latest on the second try, once the client's side has answered the
	 * first with a reset; so it probes a few times, a few milliseconds apart.
	 */
	private boolean placeFreedByProbing(String name) {
		for (int i = 0; i < PROBES; i++) {
			this.streams.probe(name);
			LockSupport.parkNanos(PROBE_WAIT.toNanos());
			if (this.open.tryTake(name)) {
				return true;
			}
		}
		return false;
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/chat").setViewName("forward:/chat.html");
	}

}
