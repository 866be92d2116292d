package dev.skyfold.imageresizer.adapter.imageio;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import java.util.stream.Stream;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;

import dev.skyfold.imageresizer.TestImages.Decoder;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Encoding;
import dev.skyfold.imageresizer.domain.Encoding.Format;
import dev.skyfold.imageresizer.domain.Thumbnail;
import dev.skyfold.imageresizer.port.ThumbnailRenderer.Rendering;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

import static dev.skyfold.imageresizer.TestImages.BLUE;
import static dev.skyfold.imageresizer.TestImages.GREEN;
import static dev.skyfold.imageresizer.TestImages.RED;
import static dev.skyfold.imageresizer.TestImages.assertAlpha;
import static dev.skyfold.imageresizer.TestImages.assertQuadrants;
import static dev.skyfold.imageresizer.TestImages.assertRgb;
import static dev.skyfold.imageresizer.TestImages.decode;
import static dev.skyfold.imageresizer.TestImages.fixture;
import static dev.skyfold.imageresizer.TestImages.jpegClaiming;
import static dev.skyfold.imageresizer.TestImages.mediaTypeOf;
import static dev.skyfold.imageresizer.TestImages.pixel;
import static dev.skyfold.imageresizer.TestImages.pngClaiming;
import static dev.skyfold.imageresizer.TestImages.sniffFormat;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.params.provider.Arguments.arguments;

/**
 * Tests for {@link ImageIoThumbnailRenderer}, over the fixtures described in
 * {@code src/test/resources/images/README.md}, with both JPEG decoders.
 */
class ImageIoThumbnailRendererTests {

	/** Tolerance per channel for lossy sources or outputs (the real error is about 1). */
	private static final int LOSSY = 40;

	/** Tolerance per channel for lossless sources and outputs. */
	private static final int LOSSLESS = 2;

	private static final Box DEFAULT_BOX = new Box(200, 200);

	/** Every fixture that is an image, with the format its thumbnail must have. */
	private static final Map<String, String> OUTPUT_FORMATS = outputFormats();

	private static Map<String, String> outputFormats() {
		Map<String, String> formats = new LinkedHashMap<>();
		for (int orientation = 1; orientation <= 8; orientation++) {
			formats.put("exif-orientation-" + orientation + ".jpg", "jpeg");
		}
		formats.put("progressive.jpg", "jpeg");
		formats.put("cmyk.jpg", "jpeg");
		formats.put("ycck.jpg", "jpeg");
		formats.put("grayscale.jpg", "jpeg");
		formats.put("tall.jpg", "jpeg");
		formats.put("alpha.png", "png");
		formats.put("palette-transparent.png", "png");
		formats.put("gray-alpha.png", "png");
		formats.put("rgb16.png", "png");
		formats.put("gray16.png", "png");
		formats.put("wide.png", "png");
		formats.put("small.png", "png");
		formats.put("animated.gif", "gif");
		formats.put("bmp24.bmp", "bmp");
		formats.put("lossy.webp", "jpeg");
		formats.put("alpha.webp", "png");
		return Collections.unmodifiableMap(formats);
	}

	static Stream<Arguments> decodersAndImages() {
		return Stream.of(Decoder.values())
			.flatMap((decoder) -> OUTPUT_FORMATS.keySet().stream().map((image) -> arguments(decoder, image)));
	}

	/**
	 * The native size (no scaling), a plain downscale, and one small enough for DCT
	 * scaling.
	 */
	static Stream<Arguments> decodersAndBoxes() {
		return Stream.of(Decoder.values())
			.flatMap((decoder) -> Stream.of(DEFAULT_BOX, new Box(60, 60), new Box(30, 30))
				.map((box) -> arguments(decoder, box)));
	}

	static Stream<Arguments> orientations() {
		return decodersAndBoxes().flatMap((arguments) -> IntStream.rangeClosed(1, 8)
			.mapToObj((orientation) -> arguments(arguments.get()[0], arguments.get()[1], orientation)));
	}

	static Stream<Box> boxes() {
		return Stream.of(DEFAULT_BOX, new Box(60, 60), new Box(30, 30));
	}

	private static Thumbnail renderOne(Decoder decoder, String image, Box box) {
		Rendering rendering = decoder.renderer().render(fixture(image), List.of(box));
		assertThat(rendering.thumbnails()).hasSize(1);
		return rendering.thumbnails().get(0);
	}

	/** The size a 120x80 fixture must have in a box. */
	private static Box expectedSize(Box box) {
		return box.fit(120, 80);
	}

	private static BufferedImage decodeChecked(Thumbnail thumbnail, String format) {
		assertThat(thumbnail.mediaType()).isEqualTo(mediaTypeOf(format));
		assertThat(sniffFormat(thumbnail.bytes())).isEqualTo(format);
		BufferedImage image = decode(thumbnail.bytes());
		assertThat(image.getWidth()).as("decoded width").isEqualTo(thumbnail.width());
		assertThat(image.getHeight()).as("decoded height").isEqualTo(thumbnail.height());
		return image;
	}

	@ParameterizedTest(name = "orientation {2}, {0}, box {1}")
	@MethodSource("orientations")
	void rendersEveryExifOrientationUpright(Decoder decoder, Box box, int orientation) {
		Rendering rendering = decoder.renderer()
			.render(fixture("exif-orientation-" + orientation + ".jpg"), List.of(box));
		assertThat(rendering.sourceFormat()).isEqualTo("jpeg");
		assertThat(rendering.sourceWidth()).as("upright source width").isEqualTo(120);
		assertThat(rendering.sourceHeight()).as("upright source height").isEqualTo(80);
		Thumbnail thumbnail = rendering.thumbnails().get(0);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		BufferedImage image = decodeChecked(thumbnail, "jpeg");
		assertThat(image.getColorModel().hasAlpha()).as("a JPEG thumbnail has no alpha").isFalse();
		assertQuadrants(image, LOSSY);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void rendersProgressiveJpeg(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "progressive.jpg", box);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		assertQuadrants(decodeChecked(thumbnail, "jpeg"), LOSSY);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void rendersCmykJpegInTrueColours(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "cmyk.jpg", box);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		assertQuadrants(decodeChecked(thumbnail, "jpeg"), LOSSY);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void rendersYcckJpegInTrueColours(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "ycck.jpg", box);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		assertQuadrants(decodeChecked(thumbnail, "jpeg"), LOSSY);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void keepsGreyLevelsOfGrayscaleJpeg(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "grayscale.jpg", box);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		BufferedImage image = decodeChecked(thumbnail, "jpeg");
		int w = image.getWidth();
		int h = image.getHeight();
		// Raster samples, whatever the band count: getRGB would show 137/225 for 64/192.
		for (int band = 0; band < image.getRaster().getNumBands(); band++) {
			assertThat(image.getRaster().getSample(w / 4, h / 2, band)).as("left half, band %d", band)
				.isCloseTo(64, within(10));
			assertThat(image.getRaster().getSample(3 * w / 4, h / 2, band)).as("right half, band %d", band)
				.isCloseTo(192, within(10));
		}
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void keepsPngAlpha(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "alpha.png", box);
		BufferedImage image = decodeChecked(thumbnail, "png");
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		int w = image.getWidth();
		int h = image.getHeight();
		assertAlpha(image, w / 4, h / 2, 255, LOSSLESS);
		assertRgb(image, w / 4, h / 2, RED, LOSSLESS);
		assertAlpha(image, 3 * w / 4, h / 2, 0, 0);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void keepsPaletteTransparency(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "palette-transparent.png", box);
		BufferedImage image = decodeChecked(thumbnail, "png");
		int w = image.getWidth();
		int h = image.getHeight();
		assertAlpha(image, w / 4, h / 2, 255, LOSSLESS);
		assertRgb(image, w / 4, h / 2, GREEN, LOSSLESS);
		assertAlpha(image, 3 * w / 4, h / 2, 0, 0);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void keepsGreyLevelAndAlphaOfGreyAlphaPng(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "gray-alpha.png", box);
		BufferedImage image = decodeChecked(thumbnail, "png");
		int w = image.getWidth();
		int h = image.getHeight();
		assertAlpha(image, w / 4, h / 2, 255, LOSSLESS);
		// 188 would be the linear-grey trap.
		assertRgb(image, w / 4, h / 2, new int[] { 128, 128, 128 }, LOSSLESS);
		assertAlpha(image, 3 * w / 4, h / 2, 0, 0);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void renders16BitRgbPng(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "rgb16.png", box);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		assertQuadrants(decodeChecked(thumbnail, "png"), LOSSLESS);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void renders16BitGreyPngWithItsGreyLevels(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "gray16.png", box);
		BufferedImage image = decodeChecked(thumbnail, "png");
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		int w = image.getWidth();
		int h = image.getHeight();
		assertThat(pixel(image, w / 4, h / 2)[0]).as("left half").isCloseTo(64, within(LOSSLESS));
		assertThat(pixel(image, 3 * w / 4, h / 2)[0]).as("right half").isCloseTo(192, within(LOSSLESS));
	}

	@ParameterizedTest
	@EnumSource(Decoder.class)
	void rendersFirstFrameOfAnimatedGifAsGif(Decoder decoder) throws Exception {
		Thumbnail thumbnail = renderOne(decoder, "animated.gif", DEFAULT_BOX);
		BufferedImage image = decodeChecked(thumbnail, "gif");
		assertThat(new Box(image.getWidth(), image.getHeight())).isEqualTo(new Box(120, 80));
		for (int[] point : new int[][] { { 0, 0 }, { 60, 40 }, { 119, 79 } }) {
			assertRgb(image, point[0], point[1], RED, 0);
		}
		try (ImageInputStream input = ImageIO.createImageInputStream(new ByteArrayInputStream(thumbnail.bytes()))) {
			ImageReader reader = ImageIO.getImageReaders(input).next();
			reader.setInput(input);
			assertThat(reader.getNumImages(true)).as("frames in the thumbnail").isEqualTo(1);
			reader.dispose();
		}
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void rendersBmpAsBmp(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "bmp24.bmp", box);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		assertQuadrants(decodeChecked(thumbnail, "bmp"), LOSSLESS);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void rendersLossyWebpAsJpeg(Decoder decoder, Box box) {
		Rendering rendering = decoder.renderer().render(fixture("lossy.webp"), List.of(box));
		assertThat(rendering.sourceFormat()).isEqualTo("webp");
		Thumbnail thumbnail = rendering.thumbnails().get(0);
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		assertQuadrants(decodeChecked(thumbnail, "jpeg"), LOSSY);
	}

	@ParameterizedTest(name = "{0}, box {1}")
	@MethodSource("decodersAndBoxes")
	void rendersWebpWithAlphaAsPngWithAlpha(Decoder decoder, Box box) {
		Thumbnail thumbnail = renderOne(decoder, "alpha.webp", box);
		BufferedImage image = decodeChecked(thumbnail, "png");
		int w = image.getWidth();
		int h = image.getHeight();
		assertAlpha(image, w / 4, h / 2, 255, LOSSLESS);
		assertRgb(image, w / 4, h / 2, RED, LOSSLESS);
		assertAlpha(image, 3 * w / 4, h / 2, 0, 0);
	}

	@ParameterizedTest
	@EnumSource(Decoder.class)
	void fitsWideImageInBox(Decoder decoder) {
		Rendering rendering = decoder.renderer().render(fixture("wide.png"), List.of(DEFAULT_BOX));
		assertThat(rendering.sourceWidth()).isEqualTo(800);
		assertThat(rendering.sourceHeight()).isEqualTo(200);
		BufferedImage image = decodeChecked(rendering.thumbnails().get(0), "png");
		assertThat(new Box(image.getWidth(), image.getHeight())).isEqualTo(new Box(200, 50));
		assertRgb(image, 100, 25, new int[] { 0, 128, 255 }, LOSSLESS);
	}

	@ParameterizedTest
	@EnumSource
	void resizesPortraitPhotoWithinBounds(Decoder decoder) {
		Rendering rendering = decoder.renderer().render(fixture("tall.jpg"), List.of(DEFAULT_BOX));
		assertThat(rendering.sourceWidth()).isEqualTo(300);
		assertThat(rendering.sourceHeight()).isEqualTo(900);
		Thumbnail thumbnail = rendering.thumbnails().get(0);
		BufferedImage image = decodeChecked(thumbnail, "jpeg");
		assertThat(image.getWidth()).isBetween(66, 67);
		assertThat(image.getHeight()).isEqualTo(200);
		assertRgb(image, image.getWidth() / 2, 100, new int[] { 255, 127, 0 }, LOSSY);
	}

	@ParameterizedTest
	@EnumSource
	void neverUpscalesSmallImage(Decoder decoder) {
		Rendering rendering = decoder.renderer()
			.render(fixture("small.png"), List.of(DEFAULT_BOX, new Box(1000, 1000)));
		for (Thumbnail thumbnail : rendering.thumbnails()) {
			BufferedImage image = decodeChecked(thumbnail, "png");
			assertThat(new Box(image.getWidth(), image.getHeight())).isEqualTo(new Box(50, 30));
			assertRgb(image, 12, 7, RED, 0);
			assertRgb(image, 37, 7, GREEN, 0);
			assertRgb(image, 12, 22, BLUE, 0);
			assertRgb(image, 37, 22, new int[] { 255, 255, 255 }, 0);
		}
	}

	@ParameterizedTest
	@EnumSource
	void rendersSeveralBoxesInOneCallInTheirOrder(Decoder decoder) {
		List<Box> boxes = List.of(DEFAULT_BOX, new Box(64, 64), new Box(400, 400), new Box(1000, 100));
		Rendering rendering = decoder.renderer().render(fixture("tall.jpg"), boxes);
		assertThat(rendering.thumbnails()).hasSize(4);
		List<Box> sizes = new ArrayList<>();
		for (Thumbnail thumbnail : rendering.thumbnails()) {
			BufferedImage image = decodeChecked(thumbnail, "jpeg");
			sizes.add(new Box(image.getWidth(), image.getHeight()));
			assertRgb(image, image.getWidth() / 2, image.getHeight() / 2, new int[] { 255, 127, 0 }, LOSSY);
		}
		assertThat(sizes.get(0).height()).isEqualTo(200);
		assertThat(sizes.get(0).width()).isBetween(66, 67);
		assertThat(sizes.subList(1, 4)).containsExactly(new Box(21, 64), new Box(133, 400), new Box(33, 100));
	}

	@ParameterizedTest(name = "{1}, {0}")
	@MethodSource("decodersAndImages")
	void labelsEachThumbnailWithTheFormatItIsEncodedIn(Decoder decoder, String image) {
		Rendering rendering = decoder.renderer().render(fixture(image), List.of(DEFAULT_BOX, new Box(40, 40)));
		for (Thumbnail thumbnail : rendering.thumbnails()) {
			String format = sniffFormat(thumbnail.bytes());
			assertThat(format).isEqualTo(OUTPUT_FORMATS.get(image));
			assertThat(thumbnail.mediaType()).isEqualTo(mediaTypeOf(format));
			BufferedImage decoded = decode(thumbnail.bytes());
			assertThat(new Box(decoded.getWidth(), decoded.getHeight()))
				.isEqualTo(new Box(thumbnail.width(), thumbnail.height()));
		}
	}

	@ParameterizedTest(name = "{1}, {0}")
	@MethodSource("decodersAndImages")
	void rendersByteIdenticalThumbnailsOnReplay(Decoder decoder, String image) {
		List<Box> boxes = List.of(DEFAULT_BOX, new Box(40, 40));
		Rendering first = decoder.renderer().render(fixture(image), boxes);
		Rendering second = decoder.renderer().render(fixture(image), boxes);
		assertThat(second.thumbnails()).hasSameSizeAs(first.thumbnails());
		for (int i = 0; i < first.thumbnails().size(); i++) {
			assertThat(second.thumbnails().get(i).bytes()).as("thumbnail %d", i)
				.isEqualTo(first.thumbnails().get(i).bytes());
		}
	}

	@ParameterizedTest
	@EnumSource
	void rejectsEmptyInputAsInvalid(Decoder decoder) {
		assertRejected(decoder.renderer(), new byte[0], Rejection.INVALID);
	}

	@ParameterizedTest
	@EnumSource
	void rejectsTextAsUnsupported(Decoder decoder) {
		assertRejected(decoder.renderer(), fixture("not-an-image.txt"), Rejection.UNSUPPORTED);
	}

	@ParameterizedTest(name = "{0}, seed {1}")
	@MethodSource("decodersAndSeeds")
	void rejectsRandomBytesAsUnsupported(Decoder decoder, int seed) {
		byte[] noise = new byte[256 + 256 * seed];
		new Random(seed).nextBytes(noise);
		assertRejected(decoder.renderer(), noise, Rejection.UNSUPPORTED);
	}

	static Stream<Arguments> decodersAndSeeds() {
		return Stream.of(Decoder.values())
			.flatMap((decoder) -> IntStream.rangeClosed(1, 16).mapToObj((seed) -> arguments(decoder, seed)));
	}

	@ParameterizedTest(name = "box {0}")
	@MethodSource("boxes")
	void encodesWebpRenditionsWithTheirOwnQualityBesideTheDefaultFormat(Box box) {
		ImageIoThumbnailRenderer renderer = Decoder.NATIVE.renderer();
		Rendering rendering = renderer.render(fixture("tall.jpg"), List.of(box, box, box),
				List.of(Encoding.DEFAULT, new Encoding(Format.WEBP, 0.9f), new Encoding(Format.WEBP, 0.2f)));
		BufferedImage jpeg = decodeChecked(rendering.thumbnails().get(0), "jpeg");
		BufferedImage fine = decodeChecked(rendering.thumbnails().get(1), "webp");
		decodeChecked(rendering.thumbnails().get(2), "webp");
		assertThat(new Box(fine.getWidth(), fine.getHeight())).isEqualTo(new Box(jpeg.getWidth(), jpeg.getHeight()));
		assertRgb(fine, fine.getWidth() / 2, fine.getHeight() / 2, new int[] { 255, 127, 0 }, LOSSY);
		assertThat(rendering.thumbnails().get(2).bytes().length).as("bytes at quality 0.2 vs 0.9")
			.isLessThan(rendering.thumbnails().get(1).bytes().length);
	}

	@ParameterizedTest(name = "box {0}")
	@MethodSource("boxes")
	void keepsTransparencyInWebp(Box box) {
		Thumbnail thumbnail = Decoder.NATIVE.renderer()
			.render(fixture("alpha.png"), List.of(box), List.of(new Encoding(Format.WEBP, null)))
			.thumbnails()
			.get(0);
		BufferedImage image = decodeChecked(thumbnail, "webp");
		assertThat(new Box(thumbnail.width(), thumbnail.height())).isEqualTo(expectedSize(box));
		int w = image.getWidth();
		int h = image.getHeight();
		assertAlpha(image, w / 4, h / 2, 255, LOSSLESS);
		assertRgb(image, w / 4, h / 2, RED, LOSSY);
		assertAlpha(image, 3 * w / 4, h / 2, 0, LOSSLESS);
	}

	@Test
	void refusesWebpWithoutTheNativeCodecBeforeDecodingAnything() {
		assertThatIllegalStateException()
			.isThrownBy(() -> Decoder.IMAGEIO.renderer()
				.render(fixture("tall.jpg"), List.of(DEFAULT_BOX), List.of(new Encoding(Format.WEBP, null))))
			.withMessageContaining("WebP thumbnails need the bundled native codec");
	}

	@ParameterizedTest(name = "{1}, {0}")
	@MethodSource("truncatedJpegs")
	void rejectsTruncatedJpegAsInvalid(Decoder decoder, String image) {
		byte[] whole = fixture(image);
		assertRejected(decoder.renderer(), Arrays.copyOf(whole, whole.length / 2), Rejection.INVALID);
	}

	static Stream<Arguments> truncatedJpegs() {
		return Stream.of(Decoder.values())
			.flatMap((decoder) -> Stream
				.of("tall.jpg", "exif-orientation-1.jpg", "exif-orientation-6.jpg", "progressive.jpg", "grayscale.jpg",
						"cmyk.jpg", "ycck.jpg")
				.map((image) -> arguments(decoder, image)));
	}

	@ParameterizedTest(name = "{1}, {0}")
	@MethodSource("jpegsToTruncateEverywhere")
	void rejectsJpegTruncatedAtAnyLengthAsInvalid(Decoder decoder, String image) {
		ImageIoThumbnailRenderer renderer = decoder.renderer();
		byte[] whole = fixture(image);
		List<String> accepted = new ArrayList<>();
		for (int length = 4; length < whole.length; length++) {
			try {
				renderer.render(Arrays.copyOf(whole, length), List.of(new Box(40, 40)));
				accepted.add(length + " bytes: rendered");
			}
			catch (RejectedInputException ex) {
				if (ex.rejection() != Rejection.INVALID) {
					accepted.add(length + " bytes: " + ex.rejection() + " " + ex.getMessage());
				}
			}
		}
		assertThat(accepted).as("truncations of %s (%d bytes) not rejected as invalid", image, whole.length).isEmpty();
	}

	static Stream<Arguments> jpegsToTruncateEverywhere() {
		return Stream.of(Decoder.values())
			.flatMap((decoder) -> Stream.of("progressive.jpg", "exif-orientation-6.jpg")
				.map((image) -> arguments(decoder, image)));
	}

	@ParameterizedTest(name = "{1}, {0}")
	@MethodSource("truncatedPngs")
	void rejectsTruncatedPngAsInvalid(Decoder decoder, String image) {
		byte[] whole = fixture(image);
		assertRejected(decoder.renderer(), Arrays.copyOf(whole, whole.length / 2), Rejection.INVALID);
	}

	static Stream<Arguments> truncatedPngs() {
		return Stream.of(Decoder.values())
			.flatMap((decoder) -> Stream
				.of("wide.png", "small.png", "rgb16.png", "alpha.png", "gray-alpha.png", "palette-transparent.png")
				.map((image) -> arguments(decoder, image)));
	}

	@ParameterizedTest(name = "{1}, {0}")
	@MethodSource("truncatedPngs")
	void rejectsPngTruncatedAtAnyLengthAsInvalid(Decoder decoder, String image) {
		ImageIoThumbnailRenderer renderer = decoder.renderer();
		byte[] whole = fixture(image);
		List<String> accepted = new ArrayList<>();
		// Up to the end of the image data: what follows (IEND) carries no pixel.
		for (int length = 4; length < whole.length - 12; length++) {
			try {
				renderer.render(Arrays.copyOf(whole, length), List.of(new Box(40, 40)));
				accepted.add(length + " bytes: rendered");
			}
			catch (RejectedInputException ex) {
				if (ex.rejection() != Rejection.INVALID && ex.rejection() != Rejection.UNSUPPORTED) {
					accepted.add(length + " bytes: " + ex.rejection() + " " + ex.getMessage());
				}
			}
		}
		assertThat(accepted).as("truncations of %s (%d bytes) not refused", image, whole.length).isEmpty();
	}

	@Test
	void rejectsInputOverByteLimit() {
		byte[] image = fixture("tall.jpg");
		ImageIoThumbnailRenderer renderer = Decoder.IMAGEIO.renderer(50_000_000L, image.length - 1, 1);
		assertRejected(renderer, image, Rejection.TOO_LARGE);
		assertThat(
				Decoder.IMAGEIO.renderer(50_000_000L, image.length, 1).render(image, List.of(DEFAULT_BOX)).thumbnails())
			.hasSize(1);
	}

	@ParameterizedTest
	@EnumSource
	void rejectsImageOverPixelLimit(Decoder decoder) {
		assertRejected(decoder.renderer(300 * 900 - 1, 50_000_000L, 1), fixture("tall.jpg"), Rejection.TOO_LARGE);
		assertRejected(decoder.renderer(800 * 200 - 1, 50_000_000L, 1), fixture("wide.png"), Rejection.TOO_LARGE);
		assertThat(decoder.renderer(300 * 900, 50_000_000L, 1)
			.render(fixture("tall.jpg"), List.of(DEFAULT_BOX))
			.thumbnails()).hasSize(1);
	}

	@ParameterizedTest
	@EnumSource
	void rejectsPngClaimingHugeSizeWithoutDecodingIt(Decoder decoder) {
		ImageIoThumbnailRenderer renderer = decoder.renderer();
		// Sanity check: a claimed size within the limit reaches the (invalid) pixel data.
		assertRejected(renderer, pngClaiming(100, 100), Rejection.INVALID);
		assertRejected(renderer, pngClaiming(100_000, 100_000), Rejection.TOO_LARGE);
		assertRejected(renderer, pngClaiming(Integer.MAX_VALUE, Integer.MAX_VALUE), Rejection.TOO_LARGE);
		assertRejected(renderer, pngClaiming(1, 60_000_000), Rejection.TOO_LARGE);
	}

	@ParameterizedTest
	@EnumSource
	void rejectsJpegClaimingHugeSizeWithoutDecodingIt(Decoder decoder) {
		ImageIoThumbnailRenderer renderer = decoder.renderer();
		byte[] jpeg = fixture("exif-orientation-1.jpg");
		assertRejected(renderer, jpegClaiming(jpeg, 60_000, 60_000), Rejection.TOO_LARGE);
		assertRejected(renderer, jpegClaiming(jpeg, 65_535, 1_000), Rejection.TOO_LARGE);
	}

	@ParameterizedTest
	@EnumSource
	void rendersSameThumbnailsFromManyThreads(Decoder decoder) throws Exception {
		ImageIoThumbnailRenderer renderer = decoder.renderer(50_000_000L, 50L * 1024 * 1024, 2);
		List<Box> boxes = List.of(DEFAULT_BOX, new Box(40, 40));
		Map<String, List<byte[]>> expected = new LinkedHashMap<>();
		for (String image : OUTPUT_FORMATS.keySet()) {
			expected.put(image, bytesOf(renderer.render(fixture(image), boxes)));
		}
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			CountDownLatch start = new CountDownLatch(1);
			List<Future<Map<String, List<byte[]>>>> results = new ArrayList<>();
			for (int thread = 0; thread < 8; thread++) {
				List<String> order = new ArrayList<>(OUTPUT_FORMATS.keySet());
				Collections.shuffle(order, new Random(thread));
				results.add(threads.submit(() -> {
					start.await();
					Map<String, List<byte[]>> rendered = new LinkedHashMap<>();
					for (int round = 0; round < 2; round++) {
						for (String image : order) {
							rendered.put(image + " round " + round, bytesOf(renderer.render(fixture(image), boxes)));
						}
					}
					return rendered;
				}));
			}
			start.countDown();
			for (Future<Map<String, List<byte[]>>> result : results) {
				Map<String, List<byte[]>> rendered = result.get(5, TimeUnit.MINUTES);
				assertThat(rendered).hasSize(2 * expected.size());
				rendered.forEach((name, thumbnails) -> {
					List<byte[]> single = expected.get(name.substring(0, name.indexOf(" round ")));
					assertThat(thumbnails).as(name).hasSameSizeAs(single);
					for (int i = 0; i < single.size(); i++) {
						assertThat(thumbnails.get(i)).as("%s, thumbnail %d", name, i).isEqualTo(single.get(i));
					}
				});
			}
		}
		finally {
			threads.shutdownNow();
		}
	}

	private static List<byte[]> bytesOf(Rendering rendering) {
		return rendering.thumbnails().stream().map(Thumbnail::bytes).toList();
	}

	private static void assertRejected(ImageIoThumbnailRenderer renderer, byte[] image, Rejection rejection) {
		assertThatExceptionOfType(RejectedInputException.class)
			.isThrownBy(() -> renderer.render(image, List.of(DEFAULT_BOX)))
			.satisfies((ex) -> assertThat(ex.rejection()).as(ex.getMessage()).isEqualTo(rejection));
	}

}
