package dev.skyfold.imageresizer.benchmark;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.application.ThumbnailFunction;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Thumbnail;

/**
 * Runs the {@code thumbnail} function over every image in a folder, the way
 * {@code pillow_thumbnails.py} does (read the file, thumbnail into 200x200, write the
 * result), and prints one line per pass with the time, images per second and peak heap.
 * Run by {@code image-resizer/benchmark/run.sh}, which also runs the Pillow peer.
 * <p>
 * Usage: {@code ThumbnailBenchmark CORPUS_DIR OUT_DIR PASSES THREADS [imageio]}; with
 * {@code imageio} every image is decoded by ImageIO, without the bundled native decoder.
 */
public final class ThumbnailBenchmark {

	private ThumbnailBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		Path corpus = Path.of(args[0]);
		Path out = Files.createDirectories(Path.of(args[1]));
		int passes = Integer.parseInt(args[2]);
		int threads = Integer.parseInt(args[3]);
		boolean imageIoOnly = args.length > 4 && args[4].equals("imageio");
		List<Path> images;
		try (Stream<Path> files = Files.list(corpus)) {
			images = files.filter(Files::isRegularFile)
				.filter((file) -> !file.getFileName().toString().startsWith("MANIFEST"))
				.sorted()
				.toList();
		}
		ImageIoThumbnailRenderer.Settings defaults = ImageIoThumbnailRenderer.Settings.defaults();
		ImageIoThumbnailRenderer renderer = new ImageIoThumbnailRenderer(new ImageIoThumbnailRenderer.Settings(
				defaults.maxPixels(), defaults.maxBytes(), defaults.jpegQuality(), threads, !imageIoOnly));
		ThumbnailFunction thumbnail = new ThumbnailFunction(renderer, new Box(200, 200));
		System.out.printf("JAVA images %d threads %d decoder %s java %s%n", images.size(), threads,
				renderer.usesNativeDecoder() ? "native" : "imageio", System.getProperty("java.version"));
		ExecutorService executor = Executors.newFixedThreadPool(threads);
		try {
			for (int pass = 1; pass <= passes; pass++) {
				resetPeakHeap();
				AtomicInteger failed = new AtomicInteger();
				long start = System.nanoTime();
				List<Future<?>> work = new ArrayList<>();
				boolean firstPass = pass == 1;
				for (Path image : images) {
					work.add(executor.submit(() -> convert(thumbnail, image, out, failed, firstPass)));
				}
				for (Future<?> done : work) {
					done.get();
				}
				double seconds = (System.nanoTime() - start) / 1e9;
				System.out.printf(Locale.ROOT,
						"PASS %d TIME_S %.4f OK %d FAIL %d IMAGES_PER_S %.2f PEAK_HEAP_MB %.1f%n", pass, seconds,
						images.size() - failed.get(), failed.get(), images.size() / seconds,
						peakHeapBytes() / 1048576.0);
			}
		}
		finally {
			executor.shutdown();
		}
	}

	private static void convert(ThumbnailFunction thumbnail, Path image, Path out, AtomicInteger failed,
			boolean report) {
		try {
			Thumbnail result = thumbnail.render(Files.readAllBytes(image));
			String name = image.getFileName().toString();
			String stem = name.substring(0, name.lastIndexOf('.'));
			String extension = result.mediaType().substring("image/".length());
			Files.write(out.resolve(stem + "." + extension), result.bytes());
		}
		catch (IOException | RuntimeException ex) {
			failed.incrementAndGet();
			if (report) {
				System.err.println("FAIL " + image.getFileName() + ": " + ex);
			}
		}
	}

	private static void resetPeakHeap() {
		System.gc();
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				pool.resetPeakUsage();
			}
		}
	}

	private static long peakHeapBytes() {
		long peak = 0;
		for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
			if (pool.getType() == MemoryType.HEAP) {
				peak += pool.getPeakUsage().getUsed();
			}
		}
		return peak;
	}

}
