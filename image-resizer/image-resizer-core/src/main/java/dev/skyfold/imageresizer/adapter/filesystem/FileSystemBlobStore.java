package dev.skyfold.imageresizer.adapter.filesystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.skyfold.imageresizer.port.Blob;
import dev.skyfold.imageresizer.port.BlobInfo;
import dev.skyfold.imageresizer.port.BlobMetadata;
import dev.skyfold.imageresizer.port.BlobStore;
import dev.skyfold.imageresizer.port.BlobStore.BlobPage;
import dev.skyfold.kernel.RejectedInputException;
import dev.skyfold.kernel.Rejection;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buckets kept as folders under a root: {@code <root>/<bucket>/<key>}, with each object's
 * content type and user metadata beside it under {@code <root>/.meta}: the content type
 * on the first line, then one {@code name: value} line per metadata entry, values as
 * {@link BlobMetadata#headerValue} writes them. Objects are written to a temporary file
 * and moved into place, so a reader never sees half an object. Keys that could leave the
 * bucket ({@code ..}, absolute paths, backslashes) are refused, and so are symbolic links
 * inside a bucket: they are neither followed nor listed.
 */
public final class FileSystemBlobStore implements BlobStore {

	/**
	 * The most bytes read or written at once. The JDK passes a heap buffer through a
	 * temporary direct buffer of its size and keeps one per thread: whole 20 MB images
	 * left some 90 MB of native memory behind across the request threads.
	 */
	private static final int IO_PIECE = 64 * 1024;

	private static final Pattern BUCKET = Pattern.compile("[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]");

	private static final String DEFAULT_CONTENT_TYPE = "application/octet-stream";

	/** Where objects are written before they are moved into place. */
	private static final String STAGING = ".staging";

	private static final Logger log = LoggerFactory.getLogger(FileSystemBlobStore.class);

	private final Path root;

	/**
	 * Opens the buckets under a folder, removing what a writer that crashed left in its
	 * staging folder: no write of this store is under way before it exists.
	 * @param root the folder
	 */
	public FileSystemBlobStore(Path root) {
		this.root = root.toAbsolutePath().normalize();
		removeStagingLeftovers();
	}

	private void removeStagingLeftovers() {
		Path staging = this.root.resolve(STAGING);
		if (!Files.isDirectory(staging, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> leftovers = Files.list(staging)) {
			List<Path> files = leftovers.toList();
			for (Path file : files) {
				Files.deleteIfExists(file);
			}
			if (!files.isEmpty()) {
				log.info("Removed {} unfinished writes from {}", files.size(), staging);
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not clear the staging folder " + staging, ex);
		}
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
			return Optional.of(info(bucket, key, attributes.size(), attributes));
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public Optional<Blob> read(String bucket, String key, long maxBytes) {
		Blob.checkLimit(maxBytes);
		Path file = objectPath(bucket, key);
		if (!Files.isRegularFile(file)) {
			return Optional.empty();
		}
		// The size of the file opened, which is never written in place: a replacement
		// moved into place meanwhile is another file.
		try (SeekableByteChannel channel = Files.newByteChannel(file)) {
			long size = channel.size();
			if (size > maxBytes) {
				throw Blob.tooLarge(key, size, maxBytes);
			}
			ByteBuffer content = ByteBuffer.allocate((int) size);
			int read = 0;
			while (content.position() < content.capacity() && read >= 0) {
				// Until the whole file is in, a piece at a time (see IO_PIECE).
				content.limit(Math.min(content.capacity(), content.position() + IO_PIECE));
				read = channel.read(content);
			}
			BlobInfo info = info(bucket, key, size, Files.readAttributes(file, BasicFileAttributes.class));
			return Optional.of(new Blob(info, content.array()));
		}
		catch (NoSuchFileException | NotDirectoryException ex) {
			return Optional.empty();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	@Override
	public BlobInfo write(String bucket, String key, byte[] content, String contentType, Map<String, String> metadata) {
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
			// Description first: an object without its file does not exist yet.
			writeAtomically(metaPath(bucket, key), describe(contentType, metadata).getBytes(StandardCharsets.UTF_8));
			writeAtomically(file, content);
		}
		catch (FileAlreadyExistsException | NotDirectoryException ex) {
			throw new RejectedInputException(Rejection.INVALID,
					"Key '" + key + "' runs through another object in this local bucket", ex);
		}
		catch (IOException ex) {
			// A new object whose content could not be written (a full disk) leaves no
			// description behind either.
			deleteDescriptionWithoutObject(file, metaPath(bucket, key));
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

	/**
	 * One walk of the bucket's folder per page, keeping only the page's keys: memory
	 * bounded by the page, time by the folder's size.
	 */
	@Override
	public BlobPage listPage(String bucket, String prefix, @Nullable String continuation, int limit) {
		Path bucketRoot = bucketPath(bucket);
		if (!Files.isDirectory(bucketRoot)) {
			return new BlobPage(List.of(), null);
		}
		TreeSet<String> page = new TreeSet<>();
		boolean more = false;
		try (Stream<Path> files = Files.walk(bucketRoot)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
					continue;
				}
				String key = keyOf(bucketRoot, file);
				if (key.startsWith(prefix) && (continuation == null || key.compareTo(continuation) > 0)) {
					page.add(key);
					if (page.size() > limit) {
						page.pollLast();
						more = true;
					}
				}
			}
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<BlobInfo> objects = page.stream().flatMap((key) -> stat(bucket, key).stream()).toList();
		return new BlobPage(objects, (more && !page.isEmpty()) ? page.last() : null);
	}

	private static void deleteDescriptionWithoutObject(Path file, Path meta) {
		if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
			try {
				Files.deleteIfExists(meta);
			}
			catch (IOException ex) {
				log.warn("Could not remove {}, the description of an object never written: {}", meta, ex.toString());
			}
		}
	}

	private void writeAtomically(Path target, byte[] content) throws IOException {
		Files.createDirectories(target.getParent());
		Path staging = Files.createDirectories(this.root.resolve(STAGING));
		Path temporary = Files.createTempFile(staging, "object-", ".tmp");
		try {
			try (SeekableByteChannel channel = Files.newByteChannel(temporary, StandardOpenOption.WRITE)) {
				for (int offset = 0; offset < content.length; offset += IO_PIECE) {
					ByteBuffer piece = ByteBuffer.wrap(content, offset, Math.min(IO_PIECE, content.length - offset));
					while (piece.hasRemaining()) {
						channel.write(piece);
					}
				}
			}
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

	private BlobInfo info(String bucket, String key, long size, BasicFileAttributes attributes) throws IOException {
		Path meta = metaPath(bucket, key);
		List<String> lines = Files.isRegularFile(meta) ? Files.readAllLines(meta, StandardCharsets.UTF_8) : List.of();
		String contentType = lines.isEmpty() || lines.get(0).isBlank() ? DEFAULT_CONTENT_TYPE : lines.get(0).trim();
		Map<String, String> metadata = new LinkedHashMap<>();
		for (String line : lines.subList(Math.min(1, lines.size()), lines.size())) {
			int colon = line.indexOf(": ");
			if (colon > 0) {
				metadata.put(line.substring(0, colon), BlobMetadata.value(line.substring(colon + 2)));
			}
		}
		return new BlobInfo(key, size, contentType, attributes.lastModifiedTime().toInstant(), metadata);
	}

	/**
	 * The content of an object's {@code .meta} file; the values cannot break a line,
	 * since {@link BlobMetadata#headerValue} encodes control characters.
	 */
	private static String describe(String contentType, Map<String, String> metadata) {
		if (contentType.chars().anyMatch(Character::isISOControl)) {
			throw new RejectedInputException(Rejection.INVALID, "Invalid content type '" + contentType + "'");
		}
		StringBuilder description = new StringBuilder(contentType.strip()).append('\n');
		metadata.forEach((name, value) -> description.append(BlobMetadata.checkName(name))
			.append(": ")
			.append(BlobMetadata.headerValue(value))
			.append('\n'));
		return description.toString();
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
		// A link inside the bucket could lead reads and writes anywhere on the machine.
		for (Path part = resolved; !part.equals(base); part = part.getParent()) {
			if (Files.isSymbolicLink(part)) {
				throw new RejectedInputException(Rejection.INVALID,
						"Key '" + key + "' passes through a symbolic link, which the store does not follow");
			}
		}
		return resolved;
	}

	private static String keyOf(Path bucketRoot, Path file) {
		return bucketRoot.relativize(file).toString().replace(file.getFileSystem().getSeparator(), "/");
	}

}
