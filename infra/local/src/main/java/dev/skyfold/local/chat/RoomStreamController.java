package dev.skyfold.local.chat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;

import dev.skyfold.chat.domain.Rooms;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/**
 * {@code GET /rooms/{room}/stream}: a Server-Sent Events stream of the room's new
 * messages, one {@code message} event per stored message, its data the message's JSON and
 * its id the message's id; {@link RoomStreams} feeds it. Also serves the chat page at
 * {@code /chat}.
 */
@RestController
class RoomStreamController implements WebMvcConfigurer {

	private final RoomStreams streams;

	RoomStreamController(RoomStreams streams) {
		this.streams = streams;
	}

	@GetMapping(path = "/rooms/{room}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	void stream(@PathVariable String room, HttpServletRequest request, HttpServletResponse response)
			throws IOException {
		Rooms.check(room);
		response.setContentType(MediaType.TEXT_EVENT_STREAM_VALUE);
		response.setCharacterEncoding(StandardCharsets.UTF_8.name());
		response.setHeader(HttpHeaders.CACHE_CONTROL, "no-cache");
		AsyncContext async = request.startAsync();
		async.setTimeout(0);
		this.streams.open(room, async, response.getOutputStream());
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/chat").setViewName("forward:/chat.html");
	}

}
