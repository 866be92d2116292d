package dev.skyfold.imageresizer.gcp.functions;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.util.Set;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import io.cloudevents.CloudEvent;
import io.cloudevents.CloudEventData;
import io.cloudevents.SpecVersion;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link StorageEvents}: Cloud Storage CloudEvents as the core's object events.
 */
class StorageEventsTests {

	@Test
	void readsAFinalizedObjectWithItsSizeAndContentType() {
		ObjectEvent event = StorageEvents.read(event(StorageEvents.FINALIZED,
				"{\"bucket\":\"skyfold\",\"name\":\"uploads/a b+c.jpg\",\"size\":\"52114\",\"contentType\":\"image/jpeg\"}"));
		assertThat(event).isEqualTo(
				new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/a b+c.jpg", 52114L, "image/jpeg")));
	}

	@Test
	void readsADeletedObjectAsRemoved() {
		assertThat(
				StorageEvents.read(event(StorageEvents.DELETED, "{\"bucket\":\"skyfold\",\"name\":\"uploads/a.jpg\"}")))
			.isEqualTo(new ObjectEvent.Removed("skyfold", "uploads/a.jpg"));
	}

	@Test
	void leavesThumbnailsToTheCore() {
		assertThat(StorageEvents.read(event(StorageEvents.FINALIZED,
				"{\"bucket\":\"skyfold\",\"name\":\"resized/uploads/a.jpg\",\"contentType\":\"image/jpeg\"}")))
			.isInstanceOf(ObjectEvent.Created.class);
	}

	@Test
	void ignoresObjectsOutsideUploads() {
		assertThat(StorageEvents
			.read(event(StorageEvents.FINALIZED, "{\"bucket\":\"skyfold\",\"name\":\"backups/a.jpg\"}")))
			.isInstanceOfSatisfying(ObjectEvent.Ignored.class,
					(ignored) -> assertThat(ignored.reason()).contains("outside uploads/"));
	}

	@Test
	void ignoresOtherEventTypes() {
		assertThat(StorageEvents.read(event("google.cloud.storage.object.v1.metadataUpdated",
				"{\"bucket\":\"skyfold\",\"name\":\"uploads/a.jpg\"}")))
			.isInstanceOf(ObjectEvent.Ignored.class);
	}

	@Test
	void readsDataThatNamesNoObjectOrIsNotJsonAsInvalid() {
		assertThat(StorageEvents.read(event(StorageEvents.FINALIZED, "{\"bucket\":\"skyfold\"}")))
			.isInstanceOf(ObjectEvent.Invalid.class);
		assertThat(StorageEvents.read(event(StorageEvents.FINALIZED, "not json"))).isInstanceOfSatisfying(
				ObjectEvent.Invalid.class, (invalid) -> assertThat(invalid.reason()).contains("not JSON"));
		assertThat(StorageEvents.read(event(StorageEvents.FINALIZED, null))).isInstanceOf(ObjectEvent.Invalid.class);
	}

	@Test
	void leavesASizeThatIsNoNumberUnknown() {
		assertThat(StorageEvents.read(event(StorageEvents.FINALIZED,
				"{\"bucket\":\"skyfold\",\"name\":\"uploads/a.jpg\",\"size\":\"lots\"}")))
			.isEqualTo(new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/a.jpg", null, null)));
	}

	private static CloudEvent event(String type, @Nullable String data) {
		return new Event(type, data);
	}

	/** A binary-mode CloudEvent as the Functions Framework hands it over. */
	private record Event(String type, @Nullable String json) implements CloudEvent {

		@Override
		public @Nullable CloudEventData getData() {
			return (this.json != null) ? () -> this.json.getBytes(StandardCharsets.UTF_8) : null;
		}

		@Override
		public SpecVersion getSpecVersion() {
			return SpecVersion.V1;
		}

		@Override
		public String getId() {
			return "1";
		}

		@Override
		public String getType() {
			return this.type;
		}

		@Override
		public URI getSource() {
			return URI.create("//storage.googleapis.com/projects/_/buckets/skyfold");
		}

		@Override
		public String getDataContentType() {
			return "application/json";
		}

		@Override
		public @Nullable URI getDataSchema() {
			return null;
		}

		@Override
		public @Nullable String getSubject() {
			return null;
		}

		@Override
		public @Nullable OffsetDateTime getTime() {
			return null;
		}

		@Override
		public @Nullable Object getAttribute(String name) {
			return null;
		}

		@Override
		public @Nullable Object getExtension(String name) {
			return null;
		}

		@Override
		public Set<String> getExtensionNames() {
			return Set.of();
		}

	}

}
