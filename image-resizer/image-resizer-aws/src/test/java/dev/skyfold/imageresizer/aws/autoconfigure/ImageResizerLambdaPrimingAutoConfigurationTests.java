package dev.skyfold.imageresizer.aws.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import dev.skyfold.aws.lambda.autoconfigure.LambdaPrimingAutoConfiguration;
import dev.skyfold.aws.lambda.priming.LambdaPrimer;
import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerAutoConfiguration;
import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Encoding;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;
import io.micrometer.core.instrument.Metrics;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.retry.RetryMode;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link ImageResizerLambdaPrimingAutoConfiguration}: priming runs
 * {@code resizeImage}'s path through the host's renderer, with S3 out of reach, and
 * counts nothing.
 */
class ImageResizerLambdaPrimingAutoConfigurationTests {

	private ApplicationContextRunner runner() {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ImageResizerAwsAutoConfiguration.class,
					ImageResizerAutoConfiguration.class, ImageResizerLambdaPrimingAutoConfiguration.class,
					ContextFunctionCatalogAutoConfiguration.class, LambdaPrimingAutoConfiguration.class))
			.withUserConfiguration(UnreachableS3.class)
			.withPropertyValues("spring.cloud.function.definition=resizeImage");
	}

	@Test
	void primesResizeImageThroughTheHostsRendererWithoutReachingS3() {
		runner().run((context) -> {
			UnreachableS3 s3 = context.getBean(UnreachableS3.class);
			double written = Metrics.globalRegistry.counter(ImageResizer.THUMBNAILS_WRITTEN).count();

			LambdaPrimer.Report report = context.getBean(LambdaPrimer.class).prime();

			assertThat(report.failed()).isEmpty();
			assertThat(report.primed()).containsExactly("resizeImage");
			assertThat(s3.renders).as("renders of the JPEG and the PNG sample").hasValue(2);
			assertThat(Metrics.globalRegistry.counter(ImageResizer.THUMBNAILS_WRITTEN).count()).isEqualTo(written);
			// The function's own client points at a closed port: any call would fail.
			assertThatExceptionOfType(RuntimeException.class).isThrownBy(() -> context.getBean(S3Client.class)
				.headObject((head) -> head.bucket(ImageResizerLambdaPrimingAutoConfiguration.ResizeImagePriming.BUCKET)
					.key("uploads/priming+sample.jpg")));
		});
	}

	@Test
	void primesBeforeACheckpoint() {
		runner().run((context) -> {
			context.getBean(LambdaPrimer.class).beforeCheckpoint(null);

			assertThat(context.getBean(UnreachableS3.class).renders).hasValue(2);
		});
	}

	@Test
	void primesNoFunctionTheDefinitionDoesNotName() {
		runner().withPropertyValues("spring.cloud.function.definition=reconcileThumbnails").run((context) -> {
			LambdaPrimer.Report report = context.getBean(LambdaPrimer.class).prime();

			assertThat(report.primed()).isEmpty();
			assertThat(context.getBean(UnreachableS3.class).renders).hasValue(0);
		});
	}

	/**
	 * The function's S3 client aimed at a closed port, and the renderer counted.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UnreachableS3 {

		final AtomicInteger renders = new AtomicInteger();

		@Bean
		S3Client s3Client() throws IOException {
			int closedPort;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				closedPort = socket.getLocalPort();
			}
			return S3Client.builder()
				.endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
				.forcePathStyle(true)
				.region(Region.US_EAST_1)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
				.overrideConfiguration((override) -> override.retryStrategy(RetryMode.STANDARD))
				.httpClient(UrlConnectionHttpClient.create())
				.build();
		}

		@Bean
		static BeanPostProcessor countRenders(UnreachableS3 configuration) {
			return new BeanPostProcessor() {

				@Override
				public Object postProcessAfterInitialization(Object bean, String name) {
					if (bean instanceof ThumbnailRenderer renderer) {
						return (ThumbnailRenderer) (byte[] image, List<Box> boxes, List<Encoding> encodings) -> {
							configuration.renders.incrementAndGet();
							return renderer.render(image, boxes, encodings);
						};
					}
					return bean;
				}

			};
		}

	}

}
