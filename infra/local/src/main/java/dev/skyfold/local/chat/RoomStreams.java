package dev.skyfold.local.chat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Queue;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.local.LocalProperties;
import dev.skyfold.local.chat.RoomHub.Subscription;
import jakarta.servlet.AsyncContext;
import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;
import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.SmartLifecycle;
import org.springframework.stereotype.Component;

/**
 * Sends each room's new messages to the room's open Server-Sent Events streams.
 * <p>
 * Built for rooms with thousands of listeners, where the cost that matters is per stream:
 * <ul>
 * <li>a room is subscribed to once, and a message is encoded as an event once and
 * appended to the room's log, whatever the number of streams;</li>
 * <li>a writer wakes as soon as a room has something new, seals what the rooms gathered
 * into one batch, and writes each of its streams the batches it has not had; it writes at
 * most once per {@code skyfold.local.stream-flush-interval}, so a quiet room's message
 * goes out at once and a busy room costs one write per stream per interval rather than
 * one per message (through {@code SseEmitter}, each event cost about 100 µs per
 * stream);</li>
 * <li>writers are one per CPU, each a thread of its own with its streams in a list that
 * only it walks, so a stream's events go out in order without locks; a stream with
 * nothing new costs a field read;</li>
 * <li>writes never block: a stream whose client reads slowly waits for its next turn
 * instead of holding up the others.</li>
 * </ul>
 * The batches form a linked list that streams walk; the garbage collector drops a batch
 * once every stream has passed it. A heartbeat comment finds streams whose client is
 * gone; a stream more than {@value #MAX_BEHIND_BYTES} bytes behind, or whose client has
 * taken nothing for {@code skyfold.local.stream-stall-timeout}, is closed, and every
 * stream ends after {@code skyfold.local.stream-max-age}: a live client reconnects and
 * catches up from the history, and one that vanished without a word no longer holds a
 * connection. When the hub says messages were missed (the relay between instances was
 * down), every stream gets a {@code resync} event, its data {@code {"since": instant}}:
 * the client fetches the history since then.
 */
@Component
class RoomStreams implements SmartLifecycle {

	private static final Logger log = LoggerFactory.getLogger(RoomStreams.class);

	private static final int MAX_BEHIND_BYTES = 1024 * 1024;

	/** How often every stream is looked at, new batches or not: ages and stalls. */
	private static final long CHECK_INTERVAL = Duration.ofSeconds(1).toNanos();

	private static final byte[] GREETING = ": subscribed\nretry: 2000\n\n".getBytes(StandardCharsets.UTF_8);

	private static final byte[] HEARTBEAT = ":\n\n".getBytes(StandardCharsets.UTF_8);

	private final RoomHub hub;

	private final JsonMapper json;

	private final Map<String, Room> rooms = new ConcurrentHashMap<>();

	private final Writer[] writers = new Writer[Runtime.getRuntime().availableProcessors()];

	private final AtomicInteger nextWriter = new AtomicInteger();

	/** Every open stream, whichever its writer, for {@link #stop()}. */
	private final Set<Stream> open = ConcurrentHashMap.newKeySet();

	private final ScheduledExecutorService heartbeats = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "room-heartbeats");
		thread.setDaemon(true);
		return thread;
	});

	private volatile boolean running;

	private volatile boolean stopped;

	private final long stallTimeout;

	private final long maxAge;

	private final long flushInterval;

	RoomStreams(RoomHub hub, JsonMapper json, LocalProperties properties) {
		this.hub = hub;
		this.json = json;
		this.stallTimeout = properties.streamStallTimeout().toNanos();
		this.maxAge = properties.streamMaxAge().toNanos();
		this.flushInterval = properties.streamFlushInterval().toNanos();
		long heartbeat = properties.streamHeartbeat().toNanos();
		for (int i = 0; i < this.writers.length; i++) {
			this.writers[i] = new Writer("room-streams-" + i);
		}
		this.heartbeats.scheduleWithFixedDelay(() -> this.rooms.values().forEach((room) -> room.append(HEARTBEAT)),
				heartbeat, heartbeat, TimeUnit.NANOSECONDS);
		hub.onMissed((since) -> {
			byte[] resync = ("event: resync\ndata: " + json.writeValueAsString(Map.of("since", since.toString()))
					+ "\n\n")
				.getBytes(StandardCharsets.UTF_8);
			this.rooms.values().forEach((room) -> room.append(resync));
		});
	}

	/**
	 * Streams a room's messages from now on to a started async request, switching its
	 * body to non-blocking writes; the stream ends when the client goes away or the app
	 * stops. Call on the request's thread.
	 * @param room the room, already checked
	 * @param holder who holds the stream, as {@link #probe(String)} names them
	 * @param async the request's async context, with no timeout
	 * @param out the response body
	 * @param onClose run once when the stream ends
	 */
	void open(String room, String holder, AsyncContext async, ServletOutputStream out, Runnable onClose) {
		Writer writer = this.writers[Math.floorMod(this.nextWriter.getAndIncrement(), this.writers.length)];
		// Joined inside compute: the last stream leaving may drop the room meanwhile.
		Room joined = this.rooms.compute(room, (key, existing) -> {
			Room counted = (existing != null) ? existing : new Room(room);
			counted.streams++;
			return counted;
		});
		Stream stream = new Stream(joined, holder, async, out, onClose);
		this.open.add(stream);
		async.addListener(stream);
		try {
			// Greeted here, on the request's thread, before a writer has the stream: the
			// response is committed with its headers before another thread writes, and a
			// client that saw the greeting has missed nothing since (the stream starts
			// after the batches sealed before it joined).
			out.write(GREETING);
			out.flush();
		}
		catch (IOException ex) {
			stream.close();
			return;
		}
		out.setWriteListener(stream);
		writer.join(stream);
		if (this.stopped) {
			// Opened while the app stops: its writer is gone.
			stream.close();
		}
	}

	/**
	 * Has every stream of a holder written a heartbeat soon, so that those whose client
	 * is gone are found and closed without waiting for the next heartbeat: the container
	 * does not say when a client drops a stream it is not writing to.
	 * @param holder who holds the streams
	 */
	void probe(String holder) {
		for (Stream stream : this.open) {
			if (stream.holder.equals(holder)) {
				stream.probe = true;
			}
		}
		for (Writer writer : this.writers) {
			writer.wake();
		}
	}

	/**
	 * Ends every stream of a room: each response completes, so its connection is free at
	 * once rather than at the next heartbeat.
	 * @param room the room
	 */
	void close(String room) {
		this.open.stream().filter((stream) -> stream.room.name.equals(room)).forEach(Stream::close);
	}

	/**
	 * Ends every stream before the web server's graceful shutdown, which would otherwise
	 * wait for them; clients reconnect to another instance or when this one is back.
	 */
	@Override
	public void stop() {
		this.running = false;
		this.stopped = true;
		for (Writer writer : this.writers) {
			writer.stop();
		}
		this.open.forEach(Stream::close);
		this.heartbeats.shutdownNow();
	}

	@Override
	public void start() {
		this.running = true;
		for (Writer writer : this.writers) {
			writer.start();
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	private void leave(Room room) {
		this.rooms.computeIfPresent(room.name, (key, current) -> {
			if (current != room || --room.streams > 0) {
				return current;
			}
			room.subscription.close();
			return null;
		});
	}

	/**
	 * Events sealed together; {@code end} counts the room's bytes up to this batch's end.
	 */
	private static final class Batch {

		private final byte[] bytes;

		private final long end;

		private volatile @Nullable Batch next;

		Batch(byte[] bytes, long end) {
			this.bytes = bytes;
			this.end = end;
		}

	}

	/** A room's log: the events since the last seal, and the sealed batches. */
	private final class Room {

		private final String name;

		private final Subscription subscription;

		private final ByteArrayOutputStream open = new ByteArrayOutputStream();

		private volatile Batch last = new Batch(new byte[0], 0);

		/** Guarded by the rooms map's compute. */
		private int streams;

		Room(String name) {
			this.name = name;
			this.subscription = RoomStreams.this.hub.subscribe(name, this::send);
		}

		private void send(ChatMessage message) {
			append(("event: message\nid: " + message.id() + "\ndata: "
					+ RoomStreams.this.json.writeValueAsString(message) + "\n\n")
				.getBytes(StandardCharsets.UTF_8));
		}

		void append(byte[] event) {
			synchronized (this) {
				this.open.writeBytes(event);
			}
			for (Writer writer : RoomStreams.this.writers) {
				writer.wake();
			}
		}

		/** Makes what was appended since the last call a batch. */
		synchronized void seal() {
			if (this.open.size() > 0) {
				Batch batch = new Batch(this.open.toByteArray(), this.last.end + this.open.size());
				this.open.reset();
				this.last.next = batch;
				this.last = batch;
			}
		}

	}

	/**
	 * A thread that writes its streams' new batches whenever a room has some, at most
	 * once per flush interval, and looks at every stream of its own once a second (ages,
	 * stalls); it sleeps otherwise.
	 */
	private final class Writer implements Runnable {

		private final String name;

		/** Its streams; only its thread touches the list. */
		private final List<Stream> streams = new ArrayList<>();

		/** Streams handed to it, which it adds to its list on its next run. */
		private final Queue<Stream> joining = new ConcurrentLinkedQueue<>();

		/** Whether a room has had something new since it last ran. */
		private final AtomicBoolean woken = new AtomicBoolean();

		private volatile @Nullable Thread thread;

		Writer(String name) {
			this.name = name;
		}

		synchronized void start() {
			if (this.thread == null) {
				Thread started = new Thread(this, this.name);
				started.setDaemon(true);
				this.thread = started;
				started.start();
			}
		}

		void stop() {
			Thread stopping;
			synchronized (this) {
				stopping = this.thread;
				this.thread = null;
			}
			if (stopping != null) {
				LockSupport.unpark(stopping);
				try {
					stopping.join(TimeUnit.SECONDS.toMillis(5));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
				}
			}
		}

		/**
		 * Hands it a stream, which it takes on at its next run; the stream has nothing
		 * yet.
		 */
		void join(Stream stream) {
			this.joining.add(stream);
		}

		/** Has the writer run soon: a room has something new. */
		void wake() {
			if (!this.woken.get() && this.woken.compareAndSet(false, true)) {
				Thread current = this.thread;
				if (current != null) {
					LockSupport.unpark(current);
				}
			}
		}

		@Override
		public void run() {
			long flush = RoomStreams.this.flushInterval;
			long lastWrite = System.nanoTime() - flush;
			long lastCheck = lastWrite;
			boolean pending = false;
			while (this.thread == Thread.currentThread()) {
				long now = System.nanoTime();
				long due = (this.woken.get() || pending) ? lastWrite + flush : lastCheck + CHECK_INTERVAL;
				if (now - due < 0) {
					LockSupport.parkNanos(this, due - now);
					continue;
				}
				this.woken.set(false);
				boolean check = now - lastCheck >= CHECK_INTERVAL;
				try {
					RoomStreams.this.rooms.values().forEach(Room::seal);
					pending = walk(now, check);
				}
				catch (RuntimeException ex) {
					log.warn("A room stream writer failed; it goes on", ex);
				}
				lastWrite = now;
				if (check) {
					lastCheck = now;
				}
			}
		}

		/**
		 * Writes every stream that has something new, or every stream when checking.
		 * @return whether a stream is still waiting for its client to take more
		 */
		private boolean walk(long now, boolean check) {
			for (Stream joined = this.joining.poll(); joined != null; joined = this.joining.poll()) {
				this.streams.add(joined);
			}
			boolean pending = false;
			int i = 0;
			while (i < this.streams.size()) {
				Stream stream = this.streams.get(i);
				if (!stream.closed && (check || stream.hasWork())) {
					pending |= stream.catchUp(now);
				}
				if (stream.closed) {
					// Order does not matter: the last stream takes the closed one's
					// place.
					Stream last = this.streams.remove(this.streams.size() - 1);
					if (last != stream) {
						this.streams.set(i, last);
					}
					continue;
				}
				i++;
			}
			return pending;
		}

	}

	/**
	 * One client's stream; only its writer writes to it, whenever the server is ready for
	 * more, so the stream needs no word from the server when writing is possible again.
	 */
	private final class Stream implements AsyncListener, WriteListener {

		private final Room room;

		private final String holder;

		private final AsyncContext async;

		private final ServletOutputStream out;

		private final Runnable onClose;

		/** The last batch written; the stream starts after the batches sealed so far. */
		private Batch written;

		/** Whether the server holds bytes written but not yet flushed. */
		private boolean unflushed;

		/** When the stream opened, by {@link System#nanoTime()}. */
		private final long opened = System.nanoTime();

		/** Since when its client has taken nothing that was waiting for it; 0 if not. */
		private long stalledSince;

		/** Written under this stream's lock; read without it by its writer as a hint. */
		private volatile boolean closed;

		/**
		 * Whether a heartbeat is due now, to find out whether its client is still there.
		 */
		private volatile boolean probe;

		Stream(Room room, String holder, AsyncContext async, ServletOutputStream out, Runnable onClose) {
			this.room = room;
			this.holder = holder;
			this.async = async;
			this.out = out;
			this.onClose = onClose;
			this.written = room.last;
		}

		/**
		 * Whether the stream has something to write: a new batch, or bytes the server has
		 * not flushed. Read by its writer only.
		 */
		boolean hasWork() {
			return this.room.last != this.written || this.unflushed || this.probe;
		}

		/**
		 * Hands the stream's new batches to the server without blocking: a client that
		 * reads slowly stays behind here rather than holding up the writer's other
		 * streams, and is closed once too far behind.
		 * @param now the writer's time, by {@link System#nanoTime()}
		 * @return whether the stream still has something to write
		 */
		boolean catchUp(long now) {
			// Serialised with close(): once the container has ended the request, it may
			// recycle the response for another connection, so nothing is written after.
			synchronized (this) {
				if (!this.closed) {
					writeWhatIsNew(now);
				}
				return !this.closed && hasWork();
			}
		}

		private void writeWhatIsNew(long now) {
			if (now - this.opened > RoomStreams.this.maxAge) {
				// Ended for the client to reconnect: a stream whose client vanished
				// without a word ends too.
				close();
				return;
			}
			if (this.probe) {
				this.probe = false;
				try {
					if (this.out.isReady()) {
						// Between whole events: a comment a client ignores.
						this.out.write(HEARTBEAT);
						this.unflushed = true;
					}
				}
				catch (IOException | RuntimeException ex) {
					close();
					return;
				}
			}
			Batch last = this.room.last;
			if (last.end - this.written.end > MAX_BEHIND_BYTES) {
				log.info("Closing a stream of room {}: its client is {} bytes behind", this.room.name,
						last.end - this.written.end);
				close();
				return;
			}
			if (last == this.written && !this.unflushed) {
				return;
			}
			try {
				while (this.written != last && this.out.isReady()) {
					Batch batch = Objects.requireNonNull(this.written.next);
					this.out.write(batch.bytes);
					this.written = batch;
					this.unflushed = true;
				}
				if (this.unflushed && this.out.isReady()) {
					this.out.flush();
					this.unflushed = false;
				}
				if (!this.unflushed && this.written == last) {
					this.stalledSince = 0;
				}
				else if (this.stalledSince == 0) {
					this.stalledSince = now;
				}
				else if (now - this.stalledSince > RoomStreams.this.stallTimeout) {
					log.info("Closing a stream of room {}: its client took nothing for {} s", this.room.name,
							(now - this.stalledSince) / 1_000_000_000L);
					close();
				}
			}
			catch (IOException | RuntimeException ex) {
				// A client gone or a response already ended: this stream is over, and
				// the writer goes on with the others.
				close();
			}
		}

		void close() {
			synchronized (this) {
				if (this.closed) {
					return;
				}
				this.closed = true;
			}
			RoomStreams.this.open.remove(this);
			leave(this.room);
			this.onClose.run();
			try {
				this.async.complete();
			}
			catch (IllegalStateException ex) {
				// Already completed by the container.
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

		@Override
		public void onWritePossible() {
		}

		@Override
		public void onError(Throwable failure) {
			close();
		}

	}

}
