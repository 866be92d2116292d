package dev.skyfold.imageresizer.adapter.imageio;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Arrays;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static dev.skyfold.imageresizer.TestImages.fixture;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link Leptonica}, the bundled native JPEG decoder: that it loads from the
 * build's jars, which images it takes and which it leaves to ImageIO, and the sizes its
 * DCT scaling produces.
 */
class LeptonicaTests {

	private final Leptonica decoder = Leptonica.load()
		.orElseThrow(
				() -> new AssertionError("the bundled native decoder must load on linux-x86_64, whose natives ship"));

	@Test
	void decodesJpegScaledInTheDctDomain() {
		// tall.jpg is 300x900: an eighth is 38x113, a quarter 75x225.
		BufferedImage eighth = this.decoder.decode(fixture("tall.jpg"), 30, 100);
		assertThat(eighth).isNotNull();
		assertThat(eighth.getWidth()).isEqualTo(38);
		assertThat(eighth.getHeight()).isEqualTo(113);
		BufferedImage quarter = this.decoder.decode(fixture("tall.jpg"), 39, 100);
		assertThat(quarter).isNotNull();
		assertThat(quarter.getWidth()).isEqualTo(75);
		BufferedImage whole = this.decoder.decode(fixture("tall.jpg"), 300, 900);
		assertThat(whole).isNotNull();
		assertThat(whole.getWidth()).isEqualTo(300);
		assertThat(whole.getType()).isEqualTo(BufferedImage.TYPE_INT_RGB);
	}

	@Test
	void decodesProgressiveAndGreyJpeg() {
		assertThat(this.decoder.decode(fixture("progressive.jpg"), 1, 1)).isNotNull();
		BufferedImage grey = this.decoder.decode(fixture("grayscale.jpg"), 1, 1);
		assertThat(grey).isNotNull();
		assertThat(grey.getType()).isEqualTo(BufferedImage.TYPE_BYTE_GRAY);
	}

	@Test
	void leavesCmykAndYcckJpegToImageIo() {
		assertThat(this.decoder.decode(fixture("cmyk.jpg"), 1, 1)).isNull();
		assertThat(this.decoder.decode(fixture("ycck.jpg"), 1, 1)).isNull();
	}

	@Test
	void leavesTruncatedJpegToImageIoWhichTellsDamageFromNoise() {
		byte[] whole = fixture("tall.jpg");
		assertThat(this.decoder.decode(Arrays.copyOf(whole, whole.length / 2), 1, 1)).isNull();
		assertThat(this.decoder.decode(Arrays.copyOf(whole, 100), 1, 1)).isNull();
	}

	@Test
	void unpacksUnderTheHomeFolderWhereItIsWritableElseUnderTmp(@TempDir Path folder) throws IOException {
		Path home = Files.createDirectory(folder.resolve("home"));
		Path tmp = Files.createDirectory(folder.resolve("tmp"));
		assertThat(Leptonica.cacheDir(home, tmp)).isEmpty();
		Files.setPosixFilePermissions(home, PosixFilePermissions.fromString("r-x------"));
		if (Files.isWritable(home)) {
			// root writes anywhere: a folder that does not exist is what Lambda's home is
			home = folder.resolve("no-such-home");
		}
		assertThat(Leptonica.cacheDir(home, tmp)).contains(tmp.resolve(".javacpp").resolve("cache"));
	}

}
