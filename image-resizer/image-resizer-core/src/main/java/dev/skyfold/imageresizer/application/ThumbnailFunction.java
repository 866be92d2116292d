package dev.skyfold.imageresizer.application;

import java.util.List;
import java.util.function.Function;

import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Thumbnail;
import dev.skyfold.imageresizer.port.ThumbnailRenderer;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.support.MessageBuilder;

/**
 * The {@code thumbnail} function: image bytes in, a thumbnail that fits the configured
 * box out, with its media type in the {@code contentType} header and its size in the
 * {@value #WIDTH_HEADER} and {@value #HEIGHT_HEADER} headers.
 */
public class ThumbnailFunction implements Function<byte[], Message<byte[]>> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "thumbnail";

	/** The header that carries the thumbnail's width. */
	public static final String WIDTH_HEADER = "Image-Width";

	/** The header that carries the thumbnail's height. */
	public static final String HEIGHT_HEADER = "Image-Height";

	private final ThumbnailRenderer renderer;

	private final Box box;

	public ThumbnailFunction(ThumbnailRenderer renderer, Box box) {
		this.renderer = renderer;
		this.box = box;
	}

	@Override
	public Message<byte[]> apply(byte[] image) {
		Thumbnail thumbnail = render(image);
		return MessageBuilder.withPayload(thumbnail.bytes())
			.setHeader(MessageHeaders.CONTENT_TYPE, thumbnail.mediaType())
			.setHeader(WIDTH_HEADER, thumbnail.width())
			.setHeader(HEIGHT_HEADER, thumbnail.height())
			.build();
	}

	/**
	 * Renders a thumbnail, for callers that want it as a value rather than a message.
	 * @param image the encoded source image
	 * @return the thumbnail
	 */
	public Thumbnail render(byte[] image) {
		return this.renderer.render(image, List.of(this.box)).thumbnails().get(0);
	}

}
