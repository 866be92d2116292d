package dev.skyfold.imageresizer.aws.benchmark;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.S3Event;
import com.amazonaws.services.lambda.runtime.events.models.s3.S3EventNotification.S3EventNotificationRecord;
import net.coobird.thumbnailator.Thumbnails;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * The cold-start floor of {@link ColdStartBenchmark}: the same S3 read, Thumbnailator
 * resize and S3 write as {@code resizeImage}, in a plain {@code RequestHandler} with no
 * Spring and no checks, written the way a minimal Lambda function would be.
 */
public final class PlainResizeHandler implements RequestHandler<S3Event, String> {

	private static final S3Client S3 = S3Client.builder()
		.httpClient(UrlConnectionHttpClient.create())
		.forcePathStyle(System.getenv("AWS_ENDPOINT_URL_S3") != null)
		.build();

	@Override
	public String handleRequest(S3Event event, Context context) {
		int resized = 0;
		for (S3EventNotificationRecord record : event.getRecords()) {
			String bucket = record.getS3().getBucket().getName();
			String key = URLDecoder.decode(record.getS3().getObject().getKey(), StandardCharsets.UTF_8);
			ByteArrayOutputStream thumbnail = new ByteArrayOutputStream();
			try (InputStream source = S3.getObject((get) -> get.bucket(bucket).key(key))) {
				Thumbnails.of(source).size(200, 200).outputFormat("jpg").toOutputStream(thumbnail);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
			S3.putObject((put) -> put.bucket(bucket).key("resized/" + key).contentType("image/jpeg"),
					RequestBody.fromBytes(thumbnail.toByteArray()));
			resized++;
		}
		return "resized " + resized;
	}

}
