package dev.skyfold.imageresizer.aws.benchmark;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;

import javax.imageio.ImageIO;

import dev.skyfold.imageresizer.adapter.filesystem.FileSystemBlobStore;
import dev.skyfold.imageresizer.adapter.imageio.ImageIoThumbnailRenderer;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ThumbnailReconciler;
import dev.skyfold.imageresizer.aws.s3.S3BlobStore;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.ReconcileReport;
import dev.skyfold.imageresizer.domain.Rendition;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.Deadline;
import dev.skyfold.testsupport.loopback.S3MockServer;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.util.FileSystemUtils;

/**
 * Measures {@code reconcileThumbnails} over a bucket of small images with a third of the
 * thumbnails missing and some orphans, on the folder store and on S3Mock: objects checked
 * and thumbnails written per second, the peak heap, and the time of a second run that has
 * nothing to do. Prints figures; asserts nothing about them. Run by
 * {@code image-resizer/benchmark/reconcile.sh}.
 */
public final class ReconcileBenchmark {

	private static final String BUCKET = "skyfold";

	private static final Rendition RENDITION = new Rendition("", new Box(200, 200));

	private ReconcileBenchmark() {
	}

	public static void main(String[] args) throws Exception {
		int images = (args.length > 0) ? Integer.parseInt(args[0]) : 10_000;
		List<String> stores = List.of(((args.length > 1) ? args[1] : "folder,s3mock").split(","));
		int orphans = images / 20;
		System.out.printf("images %d (a third without thumbnails), orphans %d, max heap %d MB%n", images, orphans,
				Runtime.getRuntime().maxMemory() / 1024 / 1024);
		Path work = Files.createTempDirectory("skyfold-reconcile-bench-");
		try {
			if (stores.contains("folder")) {
				run("folder store", new FileSystemBlobStore(work.resolve("store")), images, orphans);
			}
			if (!stores.contains("s3mock")) {
				return;
			}
			try (S3MockServer s3mock = new S3MockServer(BUCKET).start();
					S3Client s3 = S3Client.builder()
						.endpointOverride(s3mock.endpoint())
						.forcePathStyle(true)
						.region(Region.US_EAST_1)
						.credentialsProvider(
								StaticCredentialsProvider.create(AwsBasicCredentials.create("bench", "bench")))
						.httpClientBuilder(UrlConnectionHttpClient.builder())
						.build()) {
				run("S3Mock", new S3BlobStore(s3), images, orphans);
			}
		}
		finally {
			FileSystemUtils.deleteRecursively(work);
		}
	}

	private static void run(String name, BlobStore store, int images, int orphans) throws Exception {
		byte[] image = png(96, 64);
		byte[] thumbnail = png(48, 32);
		long seeding = System.nanoTime();
		// Seeded from several threads: S3Mock takes one object at a time slowly.
		IntStream.range(0, images).parallel().forEach((i) -> {
			String key = String.format("uploads/%05d.png", i);
			store.write(BUCKET, key, image, "image/png");
			if (i % 3 != 0) {
				store.write(BUCKET, "resized/" + key, thumbnail, "image/png", Map.of(ImageResizer.SOURCE_KEY_METADATA,
						key, ImageResizer.RENDITION_METADATA, RENDITION.signature()));
			}
		});
		IntStream.range(0, orphans)
			.parallel()
			.forEach((i) -> store.write(BUCKET, String.format("resized/uploads/gone-%05d.png", i), thumbnail,
					"image/png"));
		System.out.printf("%n%s: seeded in %.1f s%n", name, (System.nanoTime() - seeding) / 1e9);
		ImageResizer resizer = new ImageResizer(store,
				new ImageIoThumbnailRenderer(ImageIoThumbnailRenderer.Settings.defaults()),
				new ImageResizer.Settings("resized/", List.of(RENDITION), 50L * 1024 * 1024));
		ThumbnailReconciler reconciler = new ThumbnailReconciler(resizer, store, Duration.ZERO);
		for (String pass : new String[] { "first run", "second run (nothing to do)" }) {
			System.gc();
			AtomicLong peak = new AtomicLong();
			Thread sampler = new Thread(() -> {
				while (!Thread.currentThread().isInterrupted()) {
					Runtime runtime = Runtime.getRuntime();
					peak.accumulateAndGet(runtime.totalMemory() - runtime.freeMemory(), Math::max);
					try {
						Thread.sleep(20);
					}
					catch (InterruptedException ex) {
						return;
					}
				}
			});
			sampler.setDaemon(true);
			sampler.start();
			long started = System.nanoTime();
			ReconcileReport report = reconciler.reconcile(BUCKET, null, Deadline.none(), (progress) -> {
			});
			double seconds = (System.nanoTime() - started) / 1e9;
			sampler.interrupt();
			System.out.printf(
					"%s, %s: %.1f s; %d objects checked (%.0f/s), %d thumbnails written (%.0f/s), %d removed, %d failed; "
							+ "peak heap %d MB; complete %s%n",
					name, pass, seconds, report.checked(), report.checked() / seconds, report.rendered(),
					report.rendered() / seconds, report.removed(), report.failed(), peak.get() / 1024 / 1024,
					report.complete());
		}
	}

	private static byte[] png(int width, int height) throws IOException {
		BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
		Graphics2D graphics = image.createGraphics();
		graphics.setColor(new Color(0x2f6f9f));
		graphics.fillRect(0, 0, width, height);
		graphics.setColor(new Color(0xf2c14e));
		graphics.fillOval(width / 4, height / 4, width / 2, height / 2);
		graphics.dispose();
		ByteArrayOutputStream bytes = new ByteArrayOutputStream();
		ImageIO.write(image, "png", bytes);
		return bytes.toByteArray();
	}

}
