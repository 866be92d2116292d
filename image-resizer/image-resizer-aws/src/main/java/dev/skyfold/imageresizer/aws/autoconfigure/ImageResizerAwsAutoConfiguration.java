package dev.skyfold.imageresizer.aws.autoconfigure;

import dev.skyfold.imageresizer.application.ImageResizer;
import dev.skyfold.imageresizer.application.ResizeImageFunction;
import dev.skyfold.imageresizer.autoconfigure.ImageResizerAutoConfiguration;
import dev.skyfold.imageresizer.aws.lambda.ResizeImageEventFunction;
import dev.skyfold.imageresizer.aws.s3.S3BlobStore;
import dev.skyfold.imageresizer.aws.s3.S3Clients;
import dev.skyfold.imageresizer.port.BlobStore;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;

/**
 * Makes {@code resizeImage} the Lambda function: the bean of that name takes S3 and
 * EventBridge events and hands their records to the core's {@link ImageResizer}, which
 * keeps its objects in S3 unless {@code skyfold.image-resizer.aws.s3.enabled=false}. Runs
 * before the core's auto-configuration, whose own {@code resizeImage} function and local
 * folder store then stand back.
 */
@AutoConfiguration(before = ImageResizerAutoConfiguration.class)
@EnableConfigurationProperties(ImageResizerAwsProperties.class)
public final class ImageResizerAwsAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = "skyfold.image-resizer.aws.s3.enabled", matchIfMissing = true)
	S3Client s3Client(ImageResizerAwsProperties properties) {
		return S3Clients.create(properties.getS3().getPathStyle(), properties.getS3().getTimeout(),
				properties.getS3().getCallTimeout());
	}

	@Bean
	@ConditionalOnMissingBean(BlobStore.class)
	@ConditionalOnBooleanProperty(name = "skyfold.image-resizer.aws.s3.enabled", matchIfMissing = true)
	S3BlobStore s3BlobStore(S3Client s3) {
		return new S3BlobStore(s3);
	}

	@Bean(ResizeImageFunction.NAME)
	@ConditionalOnMissingBean(name = ResizeImageFunction.NAME)
	ResizeImageEventFunction resizeImage(ImageResizer resizer) {
		return new ResizeImageEventFunction(resizer::resizeEach);
	}

}
