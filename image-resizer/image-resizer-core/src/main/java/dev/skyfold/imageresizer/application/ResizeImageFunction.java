package dev.skyfold.imageresizer.application;

import java.util.function.Function;

import dev.skyfold.imageresizer.domain.ObjectCreated;
import dev.skyfold.imageresizer.domain.ResizeResult;

/**
 * The {@code resizeImage} function: an object landed in a bucket; the
 * {@link ImageResizer} writes its thumbnails under the output prefix of the same bucket.
 */
public class ResizeImageFunction implements Function<ObjectCreated, ResizeResult> {

	/** The function's name: its bean name, HTTP path and deployment name. */
	public static final String NAME = "resizeImage";

	private final ImageResizer resizer;

	public ResizeImageFunction(ImageResizer resizer) {
		this.resizer = resizer;
	}

	@Override
	public ResizeResult apply(ObjectCreated event) {
		return this.resizer.resize(event);
	}

}
