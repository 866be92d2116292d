package dev.skyfold.imageresizer.azure.functions;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.logging.Level;

import dev.skyfold.imageresizer.azure.Samples;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ResizeResult;
import dev.skyfold.imageresizer.domain.WrittenObject;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import dev.skyfold.testsupport.azure.TestExecutionContext;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ResizeImageHandlerTests {

	private final List<ObjectCreated> received = new ArrayList<>();

	private final TestExecutionContext context = new TestExecutionContext("resizeImage");

	@Test
	void handsTheBlobOfAnEventGridEventToTheCore() {
		handler(this::resized).resizeImage(Samples.event("eventgrid-blob-created.json"), this.context);
		assertThat(this.received)
			.containsExactly(new ObjectCreated("skyfold", "uploads/my photo+1.jpg", 524288L, "image/jpeg"));
		assertThat(this.context.messages(Level.INFO))
			.containsExactly("Resized skyfold/uploads/my photo+1.jpg into [resized/uploads/my photo+1.jpg]");
	}

	@Test
	void handsTheBlobOfACloudEventToTheCore() {
		handler(this::resized).resizeImage(Samples.event("cloudevents-blob-created.json"), this.context);
		assertThat(this.received).extracting(ObjectCreated::key).containsExactly("uploads/my photo+1.jpg");
	}

	@Test
	void logsEventsThatAreNotJsonWithoutFailingSoThatTheyAreNotRetried() {
		handler(this::resized).resizeImage("{oops", this.context);
		assertThat(this.received).isEmpty();
		assertThat(this.context.messages(Level.WARNING)).singleElement()
			.asString()
			.startsWith("Rejected an event: The event is not JSON");
	}

	@Test
	void logsRejectedImagesWithoutFailing() {
		handler((event) -> {
			throw new RejectedInputException(Rejection.TOO_LARGE, "Image too large");
		}).resizeImage(Samples.event("eventgrid-blob-created.json"), this.context);
		assertThat(this.context.messages(Level.WARNING))
			.containsExactly("Rejected skyfold/uploads/my photo+1.jpg: Image too large");
	}

	@Test
	void resizesTheOtherEventsOfABatchThenFailsForATransientErrorSoThatEventGridRetries() {
		UncheckedIOException outage = new UncheckedIOException(new java.io.IOException("storage unavailable"));
		ResizeImageHandler handler = handler((event) -> {
			this.received.add(event);
			throw outage;
		});
		assertThatExceptionOfType(UncheckedIOException.class)
			.isThrownBy(() -> handler.resizeImage(Samples.event("eventgrid-batch.json"), this.context))
			.isSameAs(outage);
		assertThat(this.received).extracting(ObjectCreated::key).containsExactly("uploads/2026/café.png");
		assertThat(this.context.messages(Level.INFO)).singleElement().asString().startsWith("Skipped event second");
		assertThat(this.context.messages(Level.WARNING)).singleElement().asString().startsWith("Rejected event third");
		assertThat(this.context.messages(Level.SEVERE)).singleElement().asString().contains("retrying");
	}

	@Test
	void takesTheContainerOfABlobTriggerFromItsMetadata() {
		handler(this::resized).resizeImageBlob(new byte[12], "2026/my photo.jpg", "skyfold/uploads/2026/my photo.jpg",
				this.context);
		assertThat(this.received).containsExactly(new ObjectCreated("skyfold", "uploads/2026/my photo.jpg", 12L, null));
	}

	private ResizeResult resized(ObjectCreated event) {
		this.received.add(event);
		return ResizeResult.resized(event, 10, 10,
				List.of(new WrittenObject("resized/" + event.key(), "image/jpeg", 5, 10, 10)), 1);
	}

	private static ResizeImageHandler handler(Function<ObjectCreated, ResizeResult> resizeImage) {
		return new ResizeImageHandler(resizeImage);
	}

}
