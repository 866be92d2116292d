package dev.skyfold.local;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;

/**
 * The local platform's own settings, under {@code skyfold.local}.
 *
 * @param data folder of all the app's embedded state: the local bucket's objects and the
 * chat's database
 * @param bucket name of the local bucket served under {@code /objects}, as object-created
 * events carry it
 * @param maxBodySize largest request body the app reads (uploads, images posted to
 * functions); larger ones get a 413 before they are read
 * @param maxJsonSize largest JSON body posted to a function (a chat message is at most a
 * few KB); larger ones get a 413 before they are read
 * @param streamFlushInterval how long a room's live streams gather events before they are
 * written out: longer sends fewer, larger writes under load, shorter delivers sooner
 * @param streamHeartbeat how often an idle live stream gets a comment, which keeps
 * proxies from cutting it and finds clients that are gone
 * @param maxStreamsPerCaller how many live streams one signed-in caller may hold open at
 * once
 * @param maxUploadsPerCaller how many uploads one signed-in caller may have under way at
 * once
 * @param minBodyRate the slowest a request body may arrive, per second, averaged from its
 * start once {@code body-rate-grace} has passed; a slower one is cut off with a 408, so
 * that slow senders cannot hold request threads
 * @param bodyRateGrace how long a request body may take before its rate is checked
 * @param streamStallTimeout how long a live stream may go without its client taking what
 * is written before it is closed
 * @param streamMaxAge how long a live stream lasts before the app ends it; the client
 * reconnects and catches up from the history, so that a stream whose client vanished does
 * not last for ever
 * @param fanout how stored messages reach the live streams: 'in-process' hands them to
 * this instance's streams; 'redis' relays them through Redis (spring.data.redis.*) to the
 * streams of every instance
 * @param relayBacklog with the 'redis' fan-out, how many messages this instance keeps for
 * the other instances while Redis is unreachable, sent once it is back; beyond that the
 * oldest are dropped and the other instances' streams are told to catch up from the
 * history
 * @param warmUp the chat's warm-up at start
 */
@ConfigurationProperties("skyfold.local")
public record LocalProperties(@DefaultValue("./data") Path data, @DefaultValue("skyfold") String bucket,
		@DefaultValue("64MB") DataSize maxBodySize, @DefaultValue("1MB") DataSize maxJsonSize,
		@DefaultValue("20ms") Duration streamFlushInterval, @DefaultValue("15s") Duration streamHeartbeat,
		@DefaultValue("20") int maxStreamsPerCaller, @DefaultValue("4") int maxUploadsPerCaller,
		@DefaultValue("8KB") DataSize minBodyRate, @DefaultValue("10s") Duration bodyRateGrace,
		@DefaultValue("60s") Duration streamStallTimeout, @DefaultValue("30m") Duration streamMaxAge,
		@DefaultValue("in-process") Fanout fanout, @DefaultValue("10000") int relayBacklog,
		@DefaultValue WarmUp warmUp) {

	/**
	 * The chat's warm-up at start: before the app reports ready, it posts sample messages
	 * into a private room through the post and fan-out paths, so that the first messages
	 * users post are not slowed by code that has not run yet; it leaves nothing stored,
	 * sent or counted.
	 *
	 * @param enabled whether the app warms the chat up before it reports ready
	 * @param rounds how many sample messages the warm-up posts
	 */
	public record WarmUp(@DefaultValue("true") boolean enabled, @DefaultValue("200") int rounds) {

	}

	/**
	 * How stored messages reach the live streams.
	 */
	public enum Fanout {

		/** Straight to this instance's streams: one instance. */
		IN_PROCESS,

		/** Through a Redis channel to the streams of every instance: scale-out. */
		REDIS

	}

}
