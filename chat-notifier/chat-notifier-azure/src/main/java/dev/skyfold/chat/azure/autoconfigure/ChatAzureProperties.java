package dev.skyfold.chat.azure.autoconfigure;

import java.net.URI;
import java.time.Duration;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Configuration of the chat on Azure, under {@code skyfold.chat.azure}.
 */
@ConfigurationProperties("skyfold.chat.azure")
public class ChatAzureProperties {

	/**
	 * Connection string of the storage account whose Table service stores the messages
	 * (SKYFOLD_CHAT_AZURE_CONNECTIONSTRING in the Function App's settings), such as
	 * Azurite's. Takes precedence over the endpoint. Without it or an endpoint, messages
	 * are kept in memory only.
	 */
	private @Nullable String connectionString;

	/**
	 * Table service endpoint, such as https://ACCOUNT.table.core.windows.net, reached
	 * with the Function App's managed identity (or whatever DefaultAzureCredential
	 * finds), which needs the role 'Storage Table Data Contributor' on the table.
	 */
	private @Nullable URI endpoint;

	/**
	 * Table that stores the messages: 3 to 63 letters and digits, starting with a letter.
	 */
	private String table = "chatmessages";

	/**
	 * Whether to create the table at startup when it does not exist (for Azurite and
	 * local setups; in Azure the deployment creates it).
	 */
	private boolean createTable;

	/**
	 * Firebase service-account key (JSON) that postMessage pushes to FCM with
	 * (SKYFOLD_CHAT_AZURE_FCMCREDENTIALS in the Function App's settings, typically a Key
	 * Vault reference). Used when skyfold.chat.fcm.enabled is true; replaces
	 * skyfold.chat.fcm.credentials, which must then be unset.
	 */
	private @Nullable String fcmCredentials;

	/**
	 * How long one call to the Table service may take, retries included.
	 */
	private Duration timeout = Duration.ofSeconds(10);

	public @Nullable String getConnectionString() {
		return this.connectionString;
	}

	public void setConnectionString(@Nullable String connectionString) {
		this.connectionString = connectionString;
	}

	public @Nullable URI getEndpoint() {
		return this.endpoint;
	}

	public void setEndpoint(@Nullable URI endpoint) {
		this.endpoint = endpoint;
	}

	public String getTable() {
		return this.table;
	}

	public void setTable(String table) {
		this.table = table;
	}

	public boolean isCreateTable() {
		return this.createTable;
	}

	public void setCreateTable(boolean createTable) {
		this.createTable = createTable;
	}

	public @Nullable String getFcmCredentials() {
		return this.fcmCredentials;
	}

	public void setFcmCredentials(@Nullable String fcmCredentials) {
		this.fcmCredentials = fcmCredentials;
	}

	public Duration getTimeout() {
		return this.timeout;
	}

	public void setTimeout(Duration timeout) {
		this.timeout = timeout;
	}

}
