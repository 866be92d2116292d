package dev.skyfold.imageresizer.application;

import java.awt.image.BufferedImage;

import dev.skyfold.imageresizer.TestImages.Decoder;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Thumbnail;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;

import static dev.skyfold.imageresizer.TestImages.decode;
import static dev.skyfold.imageresizer.TestImages.fixture;
import static dev.skyfold.imageresizer.TestImages.mediaTypeOf;
import static dev.skyfold.imageresizer.TestImages.sniffFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ThumbnailFunction}.
 */
class ThumbnailFunctionTests {

	private final ThumbnailFunction function = new ThumbnailFunction(Decoder.IMAGEIO.renderer(), new Box(200, 200));

	@ParameterizedTest
	@CsvSource({ "tall.jpg, image/jpeg", "wide.png, image/png", "exif-orientation-6.jpg, image/jpeg",
			"alpha.webp, image/png", "lossy.webp, image/jpeg", "animated.gif, image/gif", "bmp24.bmp, image/bmp",
			"small.png, image/png" })
	void labelsThumbnailWithContentTypeAndSize(String image, String mediaType) {
		Message<byte[]> message = this.function.apply(fixture(image));
		byte[] payload = message.getPayload();
		BufferedImage decoded = decode(payload);
		assertThat(message.getHeaders().get(MessageHeaders.CONTENT_TYPE)).isEqualTo(mediaType);
		assertThat(mediaTypeOf(sniffFormat(payload))).isEqualTo(mediaType);
		assertThat(message.getHeaders().get(ThumbnailFunction.WIDTH_HEADER)).isEqualTo(decoded.getWidth());
		assertThat(message.getHeaders().get(ThumbnailFunction.HEIGHT_HEADER)).isEqualTo(decoded.getHeight());
		assertThat(decoded.getWidth()).isBetween(1, 200);
		assertThat(decoded.getHeight()).isBetween(1, 200);
	}

	@Test
	void fitsThumbnailInTheConfiguredBox() {
		ThumbnailFunction small = new ThumbnailFunction(Decoder.IMAGEIO.renderer(), new Box(64, 32));
		Message<byte[]> message = small.apply(fixture("wide.png"));
		assertThat(message.getHeaders()).containsEntry(ThumbnailFunction.WIDTH_HEADER, 64)
			.containsEntry(ThumbnailFunction.HEIGHT_HEADER, 16);
		BufferedImage decoded = decode(message.getPayload());
		assertThat(new Box(decoded.getWidth(), decoded.getHeight())).isEqualTo(new Box(64, 16));
	}

	@Test
	void rendersThumbnailAsValue() {
		Thumbnail thumbnail = this.function.render(fixture("tall.jpg"));
		assertThat(thumbnail.mediaType()).isEqualTo("image/jpeg");
		assertThat(thumbnail.height()).isEqualTo(200);
		assertThat(this.function.apply(fixture("tall.jpg")).getPayload()).isEqualTo(thumbnail.bytes());
	}

	@Test
	void rejectsInputThatIsNotAnImage() {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> this.function.apply(fixture("not-an-image.txt")))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.UNSUPPORTED));
		assertThatExceptionOfType(RejectedInputException.class).isThrownBy(() -> this.function.apply(new byte[0]))
			.satisfies((ex) -> assertThat(ex.rejection()).isEqualTo(Rejection.INVALID));
	}

}
