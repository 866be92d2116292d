package dev.skyfold.imageresizer.domain;

import java.util.Arrays;
import java.util.Optional;

import dev.skyfold.kernel.access.Operation;
import dev.skyfold.kernel.access.Role;
import org.jspecify.annotations.Nullable;

/**
 * What a caller may ask of the image resizer and its bucket, with the role each needs:
 * the one access rule every host applies.
 */
public enum ImageOperation implements Operation {

	/** Reading an object or a thumbnail. */
	READ_OBJECT(Role.VIEWER, "Reading an object", null),

	/** Listing the bucket's keys. */
	LIST_OBJECTS(Role.VIEWER, "Listing objects", null),

	/** Uploading an object, which then gets its thumbnails. */
	UPLOAD_OBJECT(Role.MEMBER, "Uploading an object", null),

	/** Making a thumbnail of a posted image: the {@code thumbnail} function. */
	THUMBNAIL(Role.MEMBER, "Making a thumbnail", "thumbnail"),

	/** Deleting an object. */
	DELETE_OBJECT(Role.ADMIN, "Deleting an object", null),

	/**
	 * Invoking {@code resizeImage} directly, which storage events otherwise trigger: it
	 * reads and writes any key of the bucket.
	 */
	RESIZE_IMAGE(Role.ADMIN, "Invoking resizeImage directly", "resizeImage"),

	/**
	 * Running {@code reconcileThumbnails}, which a schedule otherwise triggers: it
	 * renders and removes thumbnails across the bucket.
	 */
	RECONCILE_THUMBNAILS(Role.ADMIN, "Reconciling the thumbnails", "reconcileThumbnails");

	private final Role requiredRole;

	private final String description;

	private final @Nullable String function;

	ImageOperation(Role requiredRole, String description, @Nullable String function) {
		this.requiredRole = requiredRole;
		this.description = description;
		this.function = function;
	}

	@Override
	public Role requiredRole() {
		return this.requiredRole;
	}

	@Override
	public String description() {
		return this.description;
	}

	/**
	 * The operation of invoking a function by its name.
	 * @param function a function's name, such as {@code thumbnail}
	 * @return the operation, empty for a name that is not one of the resizer's functions
	 */
	public static Optional<ImageOperation> ofFunction(String function) {
		return Arrays.stream(values()).filter((operation) -> function.equals(operation.function)).findFirst();
	}

}
