package dev.skyfold.imageresizer.domain;

/**
 * The bounding box a thumbnail must fit in, in pixels.
 *
 * @param width the maximum width
 * @param height the maximum height
 */
public record Box(int width, int height) {

	public Box {
		if (width < 1 || height < 1) {
			throw new IllegalArgumentException("A box needs a positive width and height, not " + width + "x" + height);
		}
	}

	/**
	 * The size of an image of the given size once scaled down to fit in this box, keeping
	 * its aspect ratio; an image that already fits keeps its size (never upscaled).
	 * @param imageWidth the image width
	 * @param imageHeight the image height
	 * @return the fitted size, at least 1x1
	 */
	public Box fit(int imageWidth, int imageHeight) {
		if (imageWidth <= this.width && imageHeight <= this.height) {
			return new Box(imageWidth, imageHeight);
		}
		double scale = Math.min((double) this.width / imageWidth, (double) this.height / imageHeight);
		int fittedWidth = (int) Math.max(1, Math.min(this.width, Math.round(imageWidth * scale)));
		int fittedHeight = (int) Math.max(1, Math.min(this.height, Math.round(imageHeight * scale)));
		return new Box(fittedWidth, fittedHeight);
	}

	@Override
	public String toString() {
		return this.width + "x" + this.height;
	}

}
