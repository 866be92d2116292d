package dev.skyfold.imageresizer.domain;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

/**
 * Tests for {@link Box}.
 */
class BoxTests {

	private static final Box BOX = new Box(200, 200);

	@ParameterizedTest(name = "{0}x{1} in 200x200 is {2}x{3}")
	@CsvSource({ "800, 200, 200, 50", "200, 800, 50, 200", "300, 900, 67, 200", "4000, 3000, 200, 150",
			"3000, 4000, 150, 200", "201, 200, 200, 199", "400, 400, 200, 200", "10000, 1, 200, 1", "1, 10000, 1, 200",
			"100000, 3, 200, 1", "2147483647, 2147483647, 200, 200", "2147483647, 1, 200, 1" })
	void fitsKeepingAspectRatio(int width, int height, int fittedWidth, int fittedHeight) {
		assertThat(BOX.fit(width, height)).isEqualTo(new Box(fittedWidth, fittedHeight));
	}

	@ParameterizedTest(name = "{0}x{1}")
	@CsvSource({ "50, 30", "200, 200", "1, 1", "200, 1", "1, 200", "199, 200" })
	void neverUpscales(int width, int height) {
		assertThat(BOX.fit(width, height)).isEqualTo(new Box(width, height));
	}

	@Test
	void fitsEverySizeWithinBoxWithinOnePixelOfTheAspectRatio() {
		Box box = new Box(200, 120);
		for (int width = 1; width <= 1200; width += 7) {
			for (int height = 1; height <= 1200; height += 11) {
				Box fitted = box.fit(width, height);
				String size = width + "x" + height + " -> " + fitted;
				assertThat(fitted.width()).as(size).isBetween(1, Math.min(width, 200));
				assertThat(fitted.height()).as(size).isBetween(1, Math.min(height, 120));
				if (width <= 200 && height <= 120) {
					assertThat(fitted).as(size).isEqualTo(new Box(width, height));
				}
				else {
					assertThat(fitted.width() == 200 || fitted.height() == 120).as("%s touches the box", size).isTrue();
					// The exact scaled size, rounded (and at least 1): within a pixel.
					double scale = Math.min(200.0 / width, 120.0 / height);
					assertThat((double) fitted.width()).as(size).isCloseTo(Math.max(1, width * scale), within(1.0));
					assertThat((double) fitted.height()).as(size).isCloseTo(Math.max(1, height * scale), within(1.0));
				}
			}
		}
	}

	@Test
	void neverReturnsAnEmptySize() {
		assertThat(new Box(1, 1).fit(10000, 10000)).isEqualTo(new Box(1, 1));
		assertThat(new Box(1, 1).fit(3, 100000)).isEqualTo(new Box(1, 1));
		assertThat(new Box(5, 5).fit(100000, 2)).isEqualTo(new Box(5, 1));
	}

	@Test
	void refusesEmptyBox() {
		assertThatIllegalArgumentException().isThrownBy(() -> new Box(0, 200));
		assertThatIllegalArgumentException().isThrownBy(() -> new Box(200, 0));
		assertThatIllegalArgumentException().isThrownBy(() -> new Box(-1, -1));
	}

	@Test
	void printsAsWidthByHeight() {
		assertThat(new Box(67, 200)).hasToString("67x200");
	}

}
