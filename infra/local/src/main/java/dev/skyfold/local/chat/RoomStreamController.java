package dev.skyfold.local.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import dev.skyfold.chat.adapter.inprocess.InProcessBroadcaster;
import dev.skyfold.chat.adapter.inprocess.InProcessBroadcaster.Subscription;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.Rooms;
import dev.skyfold.local.LocalProperties;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
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
 * its id the message's id. Also serves the chat page at {@code /chat}.
 * <p>
 * Built for rooms with thousands of listeners: each room is subscribed to once, a message
 * is encoded as an event once, and writer threads (one per CPU) send each stream what it
 * gathered every {@code skyfold.local.stream-flush-interval}, so a busy room costs one
 * write per stream per interval rather than one per message (through {@code SseEmitter},
 * each event cost about 100 µs per stream). A heartbeat comment finds streams whose
 * client is gone; a stream that falls more than {@value #MAX_PENDING_BYTES} bytes behind
 * is closed, and its client reconnects and catches up from the history.
 */
@RestController
class RoomStreamController implements WebMvcConfigurer, SmartLifecycle {

	private static final int MAX_PENDING_BYTES = 1024 * 1024;

	private static final byte[] GREETING = ": subscribed\nretry: 2000\n\n".getBytes(StandardCharsets.UTF_8);

	private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.UTF_8);

	private final InProcessBroadcaster broadcaster;

	private final JsonMapper json;

	private final Map<String, RoomStreams> rooms = new ConcurrentHashMap<>();

	private final Queue<Stream> ready = new ConcurrentLinkedQueue<>();

	private volatile boolean running;

	/**
	 * Writers: one per CPU, since a busy room's writes are what the app spends most on.
	 */
	private final ScheduledExecutorService writer = Executors
		.newScheduledThreadPool(Runtime.getRuntime().availableProcessors(), (task) -> {
			Thread thread = new Thread(task, "room-streams");
			thread.setDaemon(true);
			return thread;
		});

	RoomStreamController(InProcessBroadcaster broadcaster, JsonMapper json, LocalProperties properties) {
		this.broadcaster = broadcaster;
		this.json = json;
		long flush = properties.streamFlushInterval().toNanos();
		long heartbeat = properties.streamHeartbeat().toNanos();
		for (int i = 0; i < Runtime.getRuntime().availableProcessors(); i++) {
			this.writer.scheduleWithFixedDelay(this::writeReady, flush, flush, TimeUnit.NANOSECONDS);
		}
		this.writer.scheduleWithFixedDelay(this::beat, heartbeat, heartbeat, TimeUnit.NANOSECONDS);
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
		Stream stream = new Stream(room, async, response.getOutputStream());
		async.addListener(stream);
		this.rooms.compute(room, (key, streams) -> {
			RoomStreams joined = (streams != null) ? streams : new RoomStreams(room);
			joined.streams.add(stream);
			return joined;
		});
		// Greet only once in the room, through the writer like every event: a client
		// that saw the greeting has missed nothing since.
		stream.enqueue(GREETING);
	}

	/**
	 * Ends every stream before the web server's graceful shutdown, which would otherwise
	 * wait for them; clients reconnect to another instance or when this one is back.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.rooms.values().forEach((room) -> room.streams.forEach(Stream::close));
		this.writer.shutdownNow();
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public void addViewControllers(ViewControllerRegistry registry) {
		registry.addViewController("/chat").setViewName("forward:/chat.html");
	}

	private void writeReady() {
		for (Stream stream = this.ready.poll(); stream != null; stream = this.ready.poll()) {
			stream.writePending();
		}
	}

	private void beat() {
		this.rooms.values().forEach((room) -> room.streams.forEach((stream) -> stream.enqueue(HEARTBEAT)));
		writeReady();
	}

	private void leave(Stream stream) {
		this.rooms.computeIfPresent(stream.room, (key, streams) -> {
			streams.streams.remove(stream);
			if (streams.streams.isEmpty()) {
				streams.subscription.close();
				return null;
			}
			return streams;
		});
	}

	/** A room's open streams, fed by one subscription. */
	private final class RoomStreams {

		private final Set<Stream> streams = ConcurrentHashMap.newKeySet();

		private final Subscription subscription;

		RoomStreams(String room) {
			this.subscription = RoomStreamController.this.broadcaster.subscribe(room, this::send);
		}

		private void send(ChatMessage message) {
			byte[] event = ("event: message\nid: " + message.id() + "\ndata: "
					+ RoomStreamController.this.json.writeValueAsString(message) + "\n\n")
				.getBytes(StandardCharsets.UTF_8);
			for (Stream stream : this.streams) {
				stream.enqueue(event);
			}
		}

	}

	/** One client's stream: events wait in a buffer until the writer sends them. */
	private final class Stream implements AsyncListener {

		private final String room;

		private final AsyncContext async;

		private final ServletOutputStream out;

		private final ByteArrayOutputStream pending = new ByteArrayOutputStream();

		private boolean queued;

		private boolean closed;

		Stream(String room, AsyncContext async, ServletOutputStream out) {
			this.room = room;
			this.async = async;
			this.out = out;
		}

		synchronized void enqueue(byte[] event) {
			if (this.closed) {
				return;
			}
			if (this.pending.size() + event.length > MAX_PENDING_BYTES) {
				close();
				return;
			}
			this.pending.writeBytes(event);
			if (!this.queued) {
				this.queued = true;
				RoomStreamController.this.ready.add(this);
			}
		}

		/**
		 * Writes what the stream gathered. A stream stays marked as queued while it is
		 * written, so only one writer handles it at a time and its events stay in order.
		 */
		void writePending() {
			byte[] bytes;
			synchronized (this) {
				if (this.closed || this.pending.size() == 0) {
					this.queued = false;
					return;
				}
				bytes = this.pending.toByteArray();
				this.pending.reset();
			}
			try {
				this.out.write(bytes);
				this.out.flush();
			}
			catch (IOException | IllegalStateException ex) {
				close();
			}
			synchronized (this) {
				if (!this.closed && this.pending.size() > 0) {
					RoomStreamController.this.ready.add(this);
				}
				else {
					this.queued = false;
				}
			}
		}

		synchronized void close() {
			if (!this.closed) {
				this.closed = true;
				leave(this);
				try {
					this.async.complete();
				}
				catch (IllegalStateException ex) {
					// Already completed by the container.
				}
			}
		}

		@Override
		public void onComplete(AsyncEvent event) {
			close();
		}

		@Override
		public void onTimeout(AsyncEvent event) {
			close();
		}

		@Override
		public void onError(AsyncEvent event) {
			close();
		}

		@Override
		public void onStartAsync(AsyncEvent event) {
		}

	}

}
