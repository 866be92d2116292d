package dev.skyfold.local.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.util.Base64;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;

/**
 * What the embedded issuer keeps under the data folder's {@code .security}, readable by
 * its owner only: its signing key, so that tokens outlive a restart and no other
 * instance's tokens are trusted, and the hash of the generated admin password.
 */
final class IssuerFiles {

	private final Path folder;

	IssuerFiles(Path data) {
		this.folder = data.resolve(".security");
	}

	/**
	 * The issuer's signing key, made on the first start.
	 * @return the RSA key with its private part
	 */
	RSAKey signingKey() {
		Path file = this.folder.resolve("issuer-key.json");
		try {
			if (Files.isRegularFile(file)) {
				return RSAKey.parse(Files.readString(file, StandardCharsets.UTF_8));
			}
			RSAKey key = new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate();
			writePrivately(file, key.toJSONString());
			return key;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not keep the token issuer's key in " + file, ex);
		}
		catch (ParseException | JOSEException ex) {
			throw new IllegalStateException(
					"The token issuer's key in " + file + " is not usable: delete it to make a new one", ex);
		}
	}

	/**
	 * The file that holds the generated admin password's hash.
	 * @return the path
	 */
	Path adminPasswordHash() {
		return this.folder.resolve("admin-password.hash");
	}

	/**
	 * A new random password.
	 * @return 24 characters of URL-safe Base64
	 */
	static String newPassword() {
		byte[] random = new byte[18];
		new SecureRandom().nextBytes(random);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(random);
	}

	/**
	 * Writes a file only its owner may read.
	 * @param file the file
	 * @param content its text
	 */
	void writePrivately(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		Files.deleteIfExists(temporary);
		if (FileSystems.getDefault().supportedFileAttributeViews().contains("posix")) {
			Files.createFile(temporary,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		Files.writeString(temporary, content, StandardCharsets.UTF_8);
		Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
	}

}
