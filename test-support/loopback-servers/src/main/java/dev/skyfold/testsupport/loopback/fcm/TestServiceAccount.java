package dev.skyfold.testsupport.loopback.fcm;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import tools.jackson.databind.json.JsonMapper;

/**
 * A service account made up for a test: a fresh RSA key, written as a Google
 * service-account key file whose token URI is a local server such as
 * {@link FcmProtocolServer#tokenUri()}.
 *
 * @param keyPair the account's key pair
 * @param projectId the account's project
 * @param clientEmail the account's email address
 */
public record TestServiceAccount(KeyPair keyPair, String projectId, String clientEmail) {

	/**
	 * Makes up an account with a fresh 2048-bit RSA key.
	 * @param projectId the account's Firebase project
	 * @return the account
	 */
	public static TestServiceAccount create(String projectId) {
		try {
			KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
			generator.initialize(2048);
			return new TestServiceAccount(generator.generateKeyPair(), projectId,
					"chat-notifier@" + projectId + ".iam.gserviceaccount.com");
		}
		catch (GeneralSecurityException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Writes the account's key file.
	 * @param directory where to write it
	 * @param tokenUri the token endpoint named in it
	 * @return the file, {@code service-account.json} in the directory
	 * @throws IOException when it cannot be written
	 */
	public Path writeKeyFile(Path directory, String tokenUri) throws IOException {
		Map<String, String> key = new LinkedHashMap<>();
		key.put("type", "service_account");
		key.put("project_id", this.projectId);
		key.put("private_key_id", "test-key-1");
		key.put("private_key", privateKeyPem());
		key.put("client_email", this.clientEmail);
		key.put("client_id", "1234567890");
		key.put("auth_uri", "http://127.0.0.1/unused");
		key.put("token_uri", tokenUri);
		Path file = directory.resolve("service-account.json");
		Files.writeString(file, JsonMapper.builder().build().writeValueAsString(key));
		return file;
	}

	/**
	 * The private key as PKCS#8 PEM, as Google writes it into key files.
	 * @return the PEM text
	 */
	public String privateKeyPem() {
		String base64 = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
			.encodeToString(this.keyPair.getPrivate().getEncoded());
		return "-----BEGIN PRIVATE KEY-----\n" + base64 + "\n-----END PRIVATE KEY-----\n";
	}

	/**
	 * Whether a JWT (RS256) was signed with this account's key.
	 * @param jwt the compact JWT
	 * @return {@code true} when the signature verifies
	 */
	public boolean signed(String jwt) {
		String[] parts = jwt.split("\\.");
		if (parts.length != 3) {
			return false;
		}
		try {
			Signature signature = Signature.getInstance("SHA256withRSA");
			signature.initVerify((RSAPublicKey) this.keyPair.getPublic());
			signature.update((parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII));
			return signature.verify(Base64.getUrlDecoder().decode(parts[2]));
		}
		catch (GeneralSecurityException | IllegalArgumentException ex) {
			return false;
		}
	}

}
