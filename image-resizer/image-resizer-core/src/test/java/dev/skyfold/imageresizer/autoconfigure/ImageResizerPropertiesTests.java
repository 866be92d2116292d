package dev.skyfold.imageresizer.autoconfigure;

import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Encoding;
import dev.skyfold.imageresizer.domain.Rendition;
import org.junit.jupiter.api.Test;

import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link ImageResizerProperties}.
 */
class ImageResizerPropertiesTests {

	@Test
	void describesOneDefaultRenditionUnderResizedByDefault() {
		ImageResizer.Settings settings = new ImageResizerProperties().toResizeImageSettings();
		assertThat(settings.outputPrefix()).isEqualTo("resized/");
		assertThat(settings.renditions()).containsExactly(new Rendition("", new Box(200, 200)));
		assertThat(settings.maxBytes()).isEqualTo(50L * 1024 * 1024);
	}

	@Test
	void putsTheDefaultRenditionBeforeTheNamedOnesInTheirOrder() {
		ImageResizerProperties properties = new ImageResizerProperties();
		properties.setWidth(100);
		properties.setHeight(50);
		properties.setOutputPrefix("thumbs/");
		properties.setMaxSize(DataSize.ofKilobytes(3));
		properties.getRenditions().put("wide", size(600, 30));
		properties.getRenditions().put("small", size(32, 32));
		ImageResizer.Settings settings = properties.toResizeImageSettings();
		assertThat(settings.outputPrefix()).isEqualTo("thumbs/");
		assertThat(settings.renditions()).containsExactly(new Rendition("", new Box(100, 50)),
				new Rendition("wide", new Box(600, 30)), new Rendition("small", new Box(32, 32)));
		assertThat(settings.maxBytes()).isEqualTo(3072);
	}

	@Test
	void givesANamedRenditionItsOwnFormatAndQuality() {
		ImageResizerProperties properties = new ImageResizerProperties();
		ImageResizerProperties.Size small = size(64, 64);
		small.setFormat(Encoding.Format.WEBP);
		small.setQuality(0.6f);
		properties.getRenditions().put("small", small);
		Rendition rendition = properties.toResizeImageSettings().renditions().get(1);
		assertThat(rendition)
			.isEqualTo(new Rendition("small", new Box(64, 64), new Encoding(Encoding.Format.WEBP, 0.6f)));
		// A change of format makes existing thumbnails stale, as a change of size does.
		assertThat(rendition.signature()).isEqualTo("64x64 webp q0.6");
		assertThat(properties.toResizeImageSettings().renditions().get(0).signature()).isEqualTo("200x200");
	}

	@Test
	void refusesAQualityOutsideZeroToOne() {
		ImageResizerProperties properties = new ImageResizerProperties();
		ImageResizerProperties.Size small = size(64, 64);
		small.setQuality(1.5f);
		properties.getRenditions().put("small", small);
		assertThatIllegalArgumentException().isThrownBy(properties::toResizeImageSettings)
			.withMessageContaining("above 0 and at most 1");
	}

	@Test
	void refusesOutputPrefixWithoutTrailingSlash() {
		ImageResizerProperties properties = new ImageResizerProperties();
		properties.setOutputPrefix("resized");
		assertThatIllegalArgumentException().isThrownBy(properties::toResizeImageSettings)
			.withMessageContaining("must end with '/'");
	}

	private static ImageResizerProperties.Size size(int width, int height) {
		ImageResizerProperties.Size size = new ImageResizerProperties.Size();
		size.setWidth(width);
		size.setHeight(height);
		return size;
	}

}
