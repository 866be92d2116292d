package dev.skyfold.imageresizer.adapter.imageio;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;

import dev.skyfold.imageresizer.domain.Box;
import org.junit.jupiter.api.Test;

import static dev.skyfold.imageresizer.TestImages.fixture;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NativeDecodeMemoryTests {

	@Test
	void sizesAProgressiveJpegsCoefficientsFromItsFrameHeader() throws IOException {
		// 120x80, 4:4:4: 15x10 blocks for each of 3 components, 128 bytes a block.
		assertThat(NativeDecodeMemory.progressiveJpegBytes(fixture("progressive.jpg"))).isEqualTo(450L * 128);
		// 100x60, 4:2:0 (ImageIO's default): luma 14x8 blocks (whole 2x2 units), chroma
		// 7x4
		// each.
		assertThat(NativeDecodeMemory.progressiveJpegBytes(jpeg(100, 60, true))).isEqualTo((112L + 2 * 28) * 128);
	}

	@Test
	void reservesNothingForBaselineJpegOrOtherFormats() throws Exception {
		byte[] baseline = jpeg(100, 60, false);
		assertThat(NativeDecodeMemory.progressiveJpegBytes(baseline)).isZero();
		NativeDecodeMemory memory = new NativeDecodeMemory(1024);
		try (NativeDecodeMemory.Lease lease = memory.reserve(baseline, "jpeg")) {
			assertThat(memory.available()).isEqualTo(1024);
		}
		try (NativeDecodeMemory.Lease lease = memory.reserve(fixture("progressive.jpg"), "png")) {
			assertThat(memory.available()).isEqualTo(1024);
		}
	}

	@Test
	void readsNothingFromDamagedOrTruncatedHeaders() {
		byte[] progressive = fixture("progressive.jpg");
		for (int length = 0; length < 400; length++) {
			long bytes = NativeDecodeMemory.progressiveJpegBytes(Arrays.copyOf(progressive, length));
			assertThat(bytes).isIn(0L, 450L * 128);
		}
		assertThat(NativeDecodeMemory.progressiveJpegBytes("not an image".getBytes())).isZero();
		byte[] noFrame = { (byte) 0xFF, (byte) 0xD8, (byte) 0xFF, (byte) 0xDA, 0, 2 };
		assertThat(NativeDecodeMemory.progressiveJpegBytes(noFrame)).isZero();
	}

	@Test
	void aDecodeWaitsWhileOthersHoldTheBudgetAndOneLargerThanItRunsAlone() throws Exception {
		byte[] progressive = fixture("progressive.jpg");
		// Smaller than one image's 56 KiB: each takes the whole budget.
		NativeDecodeMemory memory = new NativeDecodeMemory(40 * 1024);
		NativeDecodeMemory.Lease first = memory.reserve(progressive, "jpeg");
		assertThat(memory.available()).isZero();
		CompletableFuture<NativeDecodeMemory.Lease> second = CompletableFuture.supplyAsync(() -> {
			try {
				return memory.reserve(progressive, "jpeg");
			}
			catch (InterruptedException ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThatThrownBy(() -> second.get(300, TimeUnit.MILLISECONDS)).isInstanceOf(TimeoutException.class);
		first.close();
		second.get(10, TimeUnit.SECONDS).close();
		assertThat(memory.available()).isEqualTo(40 * 1024);
	}

	@Test
	void aRendererWhoseBudgetIsSmallerThanAnImageStillRendersIt() {
		for (boolean nativeDecoder : new boolean[] { true, false }) {
			ImageIoThumbnailRenderer renderer = new ImageIoThumbnailRenderer(
					new ImageIoThumbnailRenderer.Settings(50_000_000L, 10_000_000L, 0.8f, 2, nativeDecoder, 1));
			assertThat(
					renderer.render(fixture("progressive.jpg"), List.of(new Box(20, 20))).thumbnails().get(0).width())
				.isEqualTo(20);
		}
	}

	@Test
	void theDefaultBudgetIsAQuarterOfTheMemoryBeyondTheHeapAndAtLeast128Mb() {
		long total = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
			.getTotalMemorySize();
		long beyondHeap = total - Runtime.getRuntime().maxMemory();
		assertThat(NativeDecodeMemory.defaultBudget()).isGreaterThanOrEqualTo(128L * 1024 * 1024)
			.isGreaterThanOrEqualTo(beyondHeap / 4)
			.isLessThan(Math.max(128L * 1024 * 1024 + 1, beyondHeap));
	}

	@Test
	void noBudgetGivenMeansTheDefault() {
		assertThat(new NativeDecodeMemory(0).available())
			.isEqualTo((NativeDecodeMemory.defaultBudget() + 1023) / 1024 * 1024);
	}

	@Test
	void refusesANegativeBudget() {
		assertThatThrownBy(() -> new NativeDecodeMemory(-1)).isInstanceOf(IllegalArgumentException.class);
	}

	private static byte[] jpeg(int width, int height, boolean progressive) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
		ImageWriteParam param = writer.getDefaultWriteParam();
		if (progressive) {
			param.setProgressiveMode(ImageWriteParam.MODE_DEFAULT);
		}
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
			writer.setOutput(out);
			writer.write(null, new IIOImage(image, null, null), param);
		}
		finally {
			writer.dispose();
		}
		return bytes.toByteArray();
	}

}
