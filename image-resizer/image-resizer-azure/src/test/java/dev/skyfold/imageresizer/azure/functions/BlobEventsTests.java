package dev.skyfold.imageresizer.azure.functions;

import java.util.List;

import dev.skyfold.imageresizer.azure.Samples;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ObjectEvent;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class BlobEventsTests {

	private static final ObjectCreated PHOTO = new ObjectCreated("skyfold", "uploads/my photo+1.jpg", null, null);

	@Test
	void readsTheContainerAndBlobNameOfAnEventGridSchemaEvent() {
		assertThat(BlobEvents.read(Samples.event("eventgrid-blob-created.json"))).containsExactly(
				new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/my photo+1.jpg", 524288L, "image/jpeg")));
	}

	@Test
	void readsTheContainerAndBlobNameOfACloudEventsSchemaEvent() {
		assertThat(BlobEvents.read(Samples.event("cloudevents-blob-created.json"))).containsExactly(
				new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/my photo+1.jpg", 30699L, "image/jpeg")));
	}

	@Test
	void readsEveryEventOfAnArrayAndKeepsNonAsciiNames() {
		List<ObjectEvent> entries = BlobEvents.read(Samples.event("eventgrid-batch.json"));
		assertThat(entries).hasSize(3);
		assertThat(entries.get(0)).isEqualTo(
				new ObjectEvent.Created(new ObjectCreated("skyfold", "uploads/2026/café.png", 2048L, "image/png")));
		assertThat(entries.get(1)).isEqualTo(new ObjectEvent.Removed("skyfold", "uploads/old.jpg"));
		assertThat(entries.get(2)).isInstanceOfSatisfying(ObjectEvent.Invalid.class,
				(invalid) -> assertThat(invalid.reason()).startsWith("event third: ").contains("names no blob"));
	}

	@Test
	void readsADeletedBlobAsARemovedObject() {
		assertThat(BlobEvents.read(Samples.event("eventgrid-blob-deleted.json")))
			.containsExactly(new ObjectEvent.Removed("skyfold", "uploads/my photo+1.jpg"));
	}

	@Test
	void ignoresOtherEventTypes() {
		String renamed = Samples.event("eventgrid-blob-deleted.json")
			.replace("Microsoft.Storage.BlobDeleted", "Microsoft.Storage.BlobTierChanged");
		assertThat(BlobEvents.read(renamed))
			.containsExactly(new ObjectEvent.Ignored("skyfold", "uploads/my photo+1.jpg",
					"event 831e1650-001e-001b-66ab-eeb76e069632: "
							+ "Microsoft.Storage.BlobTierChanged is neither Microsoft.Storage.BlobCreated nor "
							+ "Microsoft.Storage.BlobDeleted"));
	}

	@Test
	void decodesTheUrlAsAPathWhenThereIsNoSubjectKeepingPlusSigns() {
		assertThat(created("{\"type\":\"Microsoft.Storage.BlobCreated\",\"data\":{\"url\":"
				+ "\"https://acct.blob.core.windows.net/skyfold/uploads/my%20photo+1.jpg\"}}"))
			.isEqualTo(PHOTO);
		assertThat(created("{\"eventType\":\"Microsoft.Storage.BlobCreated\",\"data\":{\"url\":"
				+ "\"https://acct.blob.core.windows.net/skyfold/uploads/my%20photo%2B1.jpg\"}}"))
			.isEqualTo(PHOTO);
	}

	@Test
	void skipsTheAccountInThePathOfAnEmulatorUrl() {
		assertThat(created("{\"type\":\"Microsoft.Storage.BlobCreated\",\"data\":{\"url\":"
				+ "\"http://127.0.0.1:10000/devstoreaccount1/skyfold/uploads/my%20photo+1.jpg\"}}"))
			.isEqualTo(PHOTO);
	}

	@Test
	void takesTheSubjectAsItIsWithoutDecodingPercentSigns() {
		assertThat(created("{\"eventType\":\"Microsoft.Storage.BlobCreated\","
				+ "\"subject\":\"/blobServices/default/containers/skyfold/blobs/uploads/100%25 done.jpg\"}"))
			.isEqualTo(new ObjectCreated("skyfold", "uploads/100%25 done.jpg", null, null));
	}

	@Test
	void readsASubjectWithoutItsLeadingSlashRatherThanTheUrl() {
		assertThat(created("{\"type\":\"Microsoft.Storage.BlobCreated\","
				+ "\"subject\":\"blobServices/default/containers/skyfold/blobs/uploads/100%25 done.jpg\","
				+ "\"data\":{\"url\":\"https://acct.blob.core.windows.net/other/elsewhere.jpg\"}}"))
			.isEqualTo(new ObjectCreated("skyfold", "uploads/100%25 done.jpg", null, null));
	}

	@Test
	void rejectsMalformedPercentEncodingInTheUrl() {
		assertThat(BlobEvents.read("{\"type\":\"Microsoft.Storage.BlobCreated\",\"data\":{\"url\":"
				+ "\"https://acct.blob.core.windows.net/skyfold/uploads/bad%zz.jpg\"}}"))
			.singleElement()
			.isInstanceOfSatisfying(ObjectEvent.Invalid.class,
					(invalid) -> assertThat(invalid.reason()).startsWith("data.url is not a URL"));
		assertThatIllegalArgumentException().isThrownBy(() -> BlobEvents.decodePath("bad%2"))
			.withMessageContaining("malformed percent-encoding");
		assertThatIllegalArgumentException().isThrownBy(() -> BlobEvents.decodePath("caf%C3"))
			.withMessageContaining("UTF-8");
	}

	@Test
	void rejectsAUrlWithoutABlobName() {
		assertThat(BlobEvents.read("{\"type\":\"Microsoft.Storage.BlobCreated\",\"data\":{\"url\":"
				+ "\"https://acct.blob.core.windows.net/skyfold/\"}}"))
			.singleElement()
			.isInstanceOf(ObjectEvent.Invalid.class);
	}

	@Test
	void rejectsAnEventWithoutAType() {
		assertThat(BlobEvents.read("{\"id\":\"x\",\"subject\":\"/blobServices/default/containers/a/blobs/b\"}"))
			.singleElement()
			.isInstanceOf(ObjectEvent.Invalid.class);
	}

	@Test
	void rejectsInputThatIsNotJsonOrNotAnEvent() {
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> BlobEvents.read("not json"))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID))
			.withMessageStartingWith("The event is not JSON");
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> BlobEvents.read("\"text\""))
			.withMessage("The event is neither a JSON object nor an array");
		assertThat(BlobEvents.read("[42]")).singleElement().isInstanceOf(ObjectEvent.Invalid.class);
	}

	private static ObjectCreated created(String json) {
		List<ObjectEvent> entries = BlobEvents.read(json);
		assertThat(entries).singleElement().isInstanceOf(ObjectEvent.Created.class);
		return ((ObjectEvent.Created) entries.get(0)).object();
	}

}
