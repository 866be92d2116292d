package dev.skyfold.imageresizer.port;

import java.util.List;

import dev.skyfold.imageresizer.domain.Box;
import dev.skyfold.imageresizer.domain.Encoding;
import dev.skyfold.imageresizer.domain.Thumbnail;

/**
 * Turns encoded image bytes into thumbnails. Implementations decode once for all boxes,
 * check the image's size before decoding any pixel, and raise a
 * {@link dev.skyfold.kernel.RejectedInputException} for input they refuse: too large,
 * corrupt, or not an image at all.
 */
public interface ThumbnailRenderer {

	/**
	 * Renders one thumbnail per box, each encoded its own way.
	 * @param image the encoded source image
	 * @param boxes the boxes, at least one
	 * @param encodings one encoding per box
	 * @return the thumbnails, in the order of the boxes, with the upright source size
	 */
	Rendering render(byte[] image, List<Box> boxes, List<Encoding> encodings);

	/**
	 * Renders one thumbnail per box, encoded the default way.
	 * @param image the encoded source image
	 * @param boxes the boxes, at least one
	 * @return the thumbnails, in the order of the boxes, with the upright source size
	 */
	default Rendering render(byte[] image, List<Box> boxes) {
		return render(image, boxes, boxes.stream().map((box) -> Encoding.DEFAULT).toList());
	}

	/**
	 * Thumbnails of one source image.
	 *
	 * @param sourceFormat the source format's name, such as {@code jpeg}
	 * @param sourceWidth the upright source width
	 * @param sourceHeight the upright source height
	 * @param thumbnails one thumbnail per requested box
	 */
	record Rendering(String sourceFormat, int sourceWidth, int sourceHeight, List<Thumbnail> thumbnails) {

		public Rendering {
			thumbnails = List.copyOf(thumbnails);
		}

	}

}
