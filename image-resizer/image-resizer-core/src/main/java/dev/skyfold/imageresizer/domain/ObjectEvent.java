package dev.skyfold.imageresizer.domain;

import org.jspecify.annotations.Nullable;

/**
 * One record of a storage event batch (an S3 notification, an Event Grid delivery), as a
 * host read it from its platform's shape: an object was created or removed, the record is
 * about something else, or it cannot be read.
 */
public sealed interface ObjectEvent {

	/**
	 * The record's bucket, as far as it could be read.
	 * @return the bucket, or {@code null}
	 */
	@Nullable String bucket();

	/**
	 * The record's object key, decoded as far as it could be read.
	 * @return the key, or {@code null}
	 */
	@Nullable String key();

	/**
	 * An object was created.
	 *
	 * @param object the provider-neutral event
	 */
	record Created(ObjectCreated object) implements ObjectEvent {

		@Override
		public String bucket() {
			return this.object.bucket();
		}

		@Override
		public String key() {
			return this.object.key();
		}

	}

	/**
	 * An object was removed: its thumbnails go with it.
	 *
	 * @param bucket the bucket
	 * @param key the removed object's key, decoded
	 */
	record Removed(String bucket, String key) implements ObjectEvent {
	}

	/**
	 * A well-formed record of something other than a created or removed object, which the
	 * subscription need not have sent.
	 *
	 * @param bucket the bucket, when the record names one
	 * @param key the key, when the record names one
	 * @param reason what the record is about instead
	 */
	record Ignored(@Nullable String bucket, @Nullable String key, String reason) implements ObjectEvent {
	}

	/**
	 * A record that cannot be read: bad input, not worth a retry.
	 *
	 * @param bucket the bucket, when the record names one
	 * @param key the key (as it came when it could not be decoded), when the record names
	 * one
	 * @param reason what is wrong with it
	 */
	record Invalid(@Nullable String bucket, @Nullable String key, String reason) implements ObjectEvent {
	}

}
