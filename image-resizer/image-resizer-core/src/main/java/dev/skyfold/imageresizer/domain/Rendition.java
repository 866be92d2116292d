package dev.skyfold.imageresizer.domain;

/**
 * One thumbnail size the resizer writes for every image. The default rendition has an
 * empty name and lands at {@code resized/<key>}; a named one at
 * {@code resized/<name>/<key>}.
 *
 * @param name the rendition name, empty for the default one
 * @param box the box the thumbnail fits in
 * @param encoding how the thumbnail is encoded
 */
public record Rendition(String name, Box box, Encoding encoding) {

	/**
	 * A rendition encoded the default way.
	 * @param name the rendition name, empty for the default one
	 * @param box the box the thumbnail fits in
	 */
	public Rendition(String name, Box box) {
		this(name, box, Encoding.DEFAULT);
	}

	public Rendition {
		if (!name.isEmpty() && !name.matches("[a-z0-9][a-z0-9-]{0,62}")) {
			throw new IllegalArgumentException(
					"A rendition name is lower-case letters, digits and dashes, not '" + name + "'");
		}
	}

	/**
	 * Where this rendition of an object is written.
	 * @param outputPrefix the prefix every rendition goes under, such as {@code resized/}
	 * @param sourceKey the source object's key
	 * @return the rendition's key
	 */
	public String keyFor(String outputPrefix, String sourceKey) {
		return this.name.isEmpty() ? outputPrefix + sourceKey : outputPrefix + this.name + "/" + sourceKey;
	}

	/**
	 * What a thumbnail of this rendition was made for, written in its metadata: a
	 * thumbnail whose signature differs was made for another box or encoding, and is
	 * stale.
	 * @return the box and any encoding other than the default, such as {@code 200x200} or
	 * {@code 200x200 webp q0.75}
	 */
	public String signature() {
		String encoding = this.encoding.signature();
		return encoding.isEmpty() ? this.box.toString() : this.box + " " + encoding;
	}

}
