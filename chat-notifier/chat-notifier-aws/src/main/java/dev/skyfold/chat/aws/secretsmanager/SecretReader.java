package dev.skyfold.chat.aws.secretsmanager;

import software.amazon.awssdk.awscore.exception.AwsErrorDetails;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.secretsmanager.SecretsManagerClient;
import software.amazon.awssdk.services.secretsmanager.model.GetSecretValueResponse;
import software.amazon.awssdk.services.secretsmanager.model.SecretsManagerException;

/**
 * Reads the text of a secret (its current version's {@code SecretString}) from AWS
 * Secrets Manager. Every failure, whether the secret is missing, may not be read, holds
 * no text or the service cannot be reached, is an {@link IllegalStateException} whose
 * message names the secret and the reason, and never the secret's value.
 */
public final class SecretReader {

	private final SecretsManagerClient client;

	/**
	 * Creates a reader.
	 * @param client the client to read with; the caller closes it
	 */
	public SecretReader(SecretsManagerClient client) {
		this.client = client;
	}

	/**
	 * Reads a secret's text.
	 * @param secretId the secret's ARN or name
	 * @return its {@code SecretString}
	 * @throws IllegalStateException when the secret cannot be read or holds no text
	 */
	public String secretString(String secretId) {
		if (secretId.isBlank()) {
			throw new IllegalStateException("No secret named: the secret ARN or name is blank");
		}
		GetSecretValueResponse value;
		try {
			value = this.client.getSecretValue((request) -> request.secretId(secretId));
		}
		catch (SecretsManagerException ex) {
			AwsErrorDetails details = ex.awsErrorDetails();
			String reason = (details != null) ? details.errorCode() + ": " + details.errorMessage() : ex.getMessage();
			throw new IllegalStateException(
					"Could not read secret '" + secretId + "' from AWS Secrets Manager in " + region() + ": " + reason,
					ex);
		}
		catch (SdkClientException ex) {
			throw new IllegalStateException("Could not reach AWS Secrets Manager in " + region() + " to read secret '"
					+ secretId + "': " + ex.getMessage(), ex);
		}
		String text = value.secretString();
		if (text == null) {
			throw new IllegalStateException("Secret '" + secretId + "' in AWS Secrets Manager holds binary data "
					+ "(SecretBinary), not text: store the value as its SecretString");
		}
		if (text.isBlank()) {
			throw new IllegalStateException("Secret '" + secretId + "' in AWS Secrets Manager is blank");
		}
		return text;
	}

	private Region region() {
		return this.client.serviceClientConfiguration().region();
	}

}
