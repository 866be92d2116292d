package dev.skyfold.imageresizer.adapter.filesystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;

/**
 * Buckets kept as folders under a root: {@code <root>/<bucket>/<key>}, with each object's
 * content type beside it under {@code <root>/.meta}. Objects are written to a temporary
 * file and moved into place, so a reader never sees half an object. Keys that could leave
 * the bucket ({@code ..}, absolute paths, backslashes) are refused.
 */
public final class FileSystemBlobStore implements BlobStore {

	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	private final Path root;

	public FileSystemBlobStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
	}

	/**
	 * The folder the buckets live in.
	 * @return the root folder
	 */
	public Path root() {
		return this.root;
	}

	@Override
	public Optional<BlobInfo> stat(String bucket, String key) {
		Path file = objectPath(bucket, key);
		// A key below another object fails on Linux with a bare FileSystemException ("Not
		// a directory"), not NotDirectoryException.
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		try {
			BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
			if (!attributes.isRegularFile()) {
				return Optional.empty();
			}
			return Optional.of(new BlobInfo(key, attributes.size(), contentType(bucket, key),
					attributes.lastModifiedTime().toInstant()));
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public Optional<byte[]> read(String bucket, String key) {
		Path file = objectPath(bucket, key);
		try {
			return Files.isRegularFile(file) ? Optional.of(Files.readAllBytes(file)) : Optional.empty();
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public BlobInfo write(String bucket, String key, byte[] content, String contentType) {
		Path file = objectPath(bucket, key);
		if (Files.isDirectory(file)) {
			throw new RejectedInputException(Rejection.INVALID,
					"Key '" + key + "' is a folder of other objects in this local bucket");
		}
		for (Path folder = file.getParent(); !folder.equals(this.root); folder = folder.getParent()) {
			if (Files.isRegularFile(folder)) {
				throw new RejectedInputException(Rejection.INVALID,
						"Key '" + key + "' runs through another object in this local bucket");
			}
		}
		try {
			// Content type first: an object without its file does not exist yet.
			writeAtomically(metaPath(bucket, key), contentType.getBytes(StandardCharsets.UTF_8));
			writeAtomically(file, content);
		}
		catch (FileAlreadyExistsException | NotDirectoryException ex) {
			throw new RejectedInputException(Rejection.INVALID,
					"Key '" + key + "' runs through another object in this local bucket", ex);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		return stat(bucket, key).orElseThrow();
	}

	@Override
	public void delete(String bucket, String key) {
		try {
			Files.deleteIfExists(objectPath(bucket, key));
			Files.deleteIfExists(metaPath(bucket, key));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public List<BlobInfo> list(String bucket, String prefix) {
		Path bucketRoot = bucketPath(bucket);
		if (!Files.isDirectory(bucketRoot)) {
			return List.of();
		}
		try (Stream<Path> files = Files.walk(bucketRoot)) {
			return files.filter(Files::isRegularFile)
				.map((file) -> keyOf(bucketRoot, file))
				.filter((key) -> key.startsWith(prefix))
				.sorted()
				.flatMap((key) -> stat(bucket, key).stream())
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private void writeAtomically(Path target, byte[] content) throws IOException {
		Files.createDirectories(target.getParent());
		Path staging = Files.createDirectories(this.root.resolve(".staging"));
		Path temporary = Files.createTempFile(staging, "object-", ".tmp");
		try {
			Files.write(temporary, content);
			try {
				Files.move(temporary, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			}
			catch (AtomicMoveNotSupportedException ex) {
				Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING);
			}
		}
		finally {
			Files.deleteIfExists(temporary);
		}
	}

	private String contentType(String bucket, String key) throws IOException {
		Path meta = metaPath(bucket, key);
		return Files.isRegularFile(meta) ? Files.readString(meta, StandardCharsets.UTF_8).trim() : DEFAULT_CONTENT_TYPE;
	}

	private Path bucketPath(String bucket) {
		if (!BUCKET.matcher(bucket).matches()) {
			throw new RejectedInputException(Rejection.INVALID, "Invalid bucket name '" + bucket
					+ "': 3 to 63 lower-case letters, digits, dots and dashes, starting and ending with a letter or digit");
		}
		return this.root.resolve(bucket);
	}

	private Path objectPath(String bucket, String key) {
		return resolveKey(bucketPath(bucket), key);
	}

	private Path metaPath(String bucket, String key) {
		bucketPath(bucket);
		return resolveKey(this.root.resolve(".meta").resolve(bucket), key);
	}

	private static Path resolveKey(Path base, String key) {
		ObjectKeys.check(key);
		Path resolved = base.resolve(key).normalize();
		if (!resolved.startsWith(base) || resolved.equals(base)) {
			throw new RejectedInputException(Rejection.INVALID, "Key '" + key + "' leaves the bucket");
		}
		return resolved;
	}

	private static String keyOf(Path bucketRoot, Path file) {
		return bucketRoot.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

}
