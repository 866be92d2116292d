package dev.skyfold.imageresizer;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.application.ThumbnailFunction;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.testsupport.contract.Answer;
import dev.skyfold.testsupport.contract.Caller;
import dev.skyfold.testsupport.contract.Host;
import dev.skyfold.testsupport.contract.ImageFunctionContract;
import dev.skyfold.testsupport.contract.ImageHost;
import dev.skyfold.testsupport.contract.Verdict;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.JsonNodeFactory;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

/**
 * The image functions' contract on the beans, built without Spring as a user's own tests
 * build them (the README's recipe), over a folder store.
 */
class BeanImageContractTests extends ImageFunctionContract {

	private static final String BUCKET = "skyfold";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	@TempDir
	Path root;

	@Override
	protected ImageHost imageHost() {
		FileSystemBlobStore store = new FileSystemBlobStore(this.root);
		var renderer = new ImageIoThumbnailRenderer(ImageIoThumbnailRenderer.Settings.defaults());
		var thumbnail = new ThumbnailFunction(renderer, new Box(200, 200));
		var resizer = new ResizeImageFunction(new ImageResizer(store, renderer,
				new ImageResizer.Settings("resized/", List.of(new Rendition("", new Box(200, 200))), 50_000_000)));
		return new ImageHost() {

			@Override
			public Host host() {
				return Host.BEANS;
			}

			@Override
			public void putObject(String key, byte[] content, String contentType) {
				store.write(BUCKET, key, content, contentType);
			}

			@Override
			public Optional<byte[]> object(String key) {
				return store.read(BUCKET, key, 50_000_000).map(Blob::content);
			}

			@Override
			public Answer thumbnail(Caller caller, byte[] image) {
				return called(() -> {
					Message<byte[]> message = thumbnail.apply(image);
					MessageHeaders headers = message.getHeaders();
					return Answer.done(message.getPayload(),
							JsonNodeFactory.instance.objectNode()
								.put("contentType", String.valueOf(headers.get(MessageHeaders.CONTENT_TYPE)))
								.put("width", (Integer) headers.get(ThumbnailFunction.WIDTH_HEADER))
								.put("height", (Integer) headers.get(ThumbnailFunction.HEIGHT_HEADER)));
				});
			}

			@Override
			public Answer resizeImage(Caller caller, String key) {
				return called(() -> Answer.done(JSON.valueToTree(resizer.apply(new ObjectCreated(BUCKET, key)))));
			}

		};
	}

	private static Answer called(Supplier<Answer> call) {
		try {
			return call.get();
		}
		catch (RejectedInputException ex) {
			return Answer.refused(Verdict.ofStatus(ex.rejection().httpStatus()), ex.getMessage());
		}
	}

}
