package dev.skyfold.local.chat;

import java.io.IOException;
import java.time.Duration;

import dev.skyfold.chat.adapter.inprocess.InProcessBroadcaster;
import dev.skyfold.chat.adapter.inprocess.InProcessBroadcaster.Subscription;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.Rooms;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.config.annotation.ViewControllerRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * {@code GET /rooms/{room}/stream}: a Server-Sent Events stream of the room's new
 * messages, one {@code message} event per stored message, its data the message's JSON and
 * its id the message's id. Also serves the chat page at {@code /chat}.
 */
@RestController
class RoomStreamController implements WebMvcConfigurer {

	/** Streams stay open; clients reconnect on their own if a proxy cuts them. */
	private static final long NO_TIMEOUT = 0L;

	private final InProcessBroadcaster broadcaster;

	private final JsonMapper json;

	RoomStreamController(InProcessBroadcaster broadcaster, JsonMapper json) {
		this.broadcaster = broadcaster;
		this.json = json;
	}

	@GetMapping(path = "/rooms/{room}/stream", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
	SseEmitter stream(@PathVariable String room) throws IOException {
		Rooms.check(room);
		SseEmitter emitter = new SseEmitter(NO_TIMEOUT);
		Subscription subscription = this.broadcaster.subscribe(room, (message) -> send(emitter, message));
		emitter.onCompletion(subscription::close);
		emitter.onTimeout(subscription::close);
		emitter.onError((failure) -> subscription.close());
		// A first comment commits the response, so the client knows it is subscribed.
		emitter
			.send(SseEmitter.event().comment("subscribed to " + room).reconnectTime(Duration.ofSeconds(2).toMillis()));
		return emitter;
	}

	private void send(SseEmitter emitter, ChatMessage message) {
		try {
			emitter.send(SseEmitter.event()
				.name("message")
				.id(message.id())
				.data(this.json.writeValueAsString(message), MediaType.APPLICATION_JSON));
		}
		catch (IOException | IllegalStateException ex) {
			// The client went away; completing the emitter closes its subscription.
			emitter.completeWithError(ex);
		}
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/chat").setViewName("forward:/chat.html");
	}

}
