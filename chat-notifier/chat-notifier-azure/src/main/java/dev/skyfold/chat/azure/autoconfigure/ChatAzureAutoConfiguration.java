package dev.skyfold.chat.azure.autoconfigure;

import java.net.URI;
import java.util.regex.Pattern;

import com.azure.core.http.HttpClient;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableClientBuilder;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.identity.DefaultAzureCredentialBuilder;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.azure.table.AzureTableMessageStore;
import dev.skyfold.chat.azure.table.TableHttpClients;
import dev.skyfold.chat.port.MessageStore;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

/**
 * Stores the chat's messages in an Azure Table when {@code skyfold.chat.azure} names a
 * storage account (a connection string, or an endpoint reached with the managed
 * identity). Runs before the core's auto-configuration, whose in-memory store then stands
 * back; the core's functions, and its broadcast service (FCM's broadcaster included when
 * enabled), stay: the Azure functions call them.
 */
@AutoConfiguration(before = ChatNotifierAutoConfiguration.class)
@EnableConfigurationProperties(ChatAzureProperties.class)
public final class ChatAzureAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ChatAzureAutoConfiguration.class);

	private static final Pattern TABLE_NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]{2,62}");

	private static final String CONFIGURED = "'${skyfold.chat.azure.connection-string:}' != '' "
			+ "or '${skyfold.chat.azure.endpoint:}' != ''";

	/**
	 * The client of the chat table: over the JDK's HTTP client (HTTP/1.1), authenticated
	 * by the connection string's account key, else by {@code DefaultAzureCredential} (the
	 * Function App's managed identity).
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnExpression(CONFIGURED)
	TableClient chatTableClient(ChatAzureProperties properties) {
		String table = properties.getTable();
		if (!TABLE_NAME.matcher(table).matches()) {
			throw new IllegalStateException("skyfold.chat.azure.table must be 3 to 63 letters and digits, "
					+ "starting with a letter, not '" + table + "'");
		}
		HttpClient http = TableHttpClients.create(properties.getTimeout());
		String connectionString = properties.getConnectionString();
		URI endpoint = properties.getEndpoint();
		TableClient client;
		if (connectionString != null && !connectionString.isBlank()) {
			if (properties.isCreateTable()) {
				createTableIfMissing(new TableServiceClientBuilder().connectionString(connectionString)
					.httpClient(http)
					.buildClient(), table);
			}
			client = new TableClientBuilder().connectionString(connectionString)
				.tableName(table)
				.httpClient(http)
				.buildClient();
		}
		else {
			if (endpoint == null) {
				throw new IllegalStateException(
						"Set skyfold.chat.azure.connection-string or skyfold.chat.azure.endpoint");
			}
			var credential = new DefaultAzureCredentialBuilder().build();
			if (properties.isCreateTable()) {
				createTableIfMissing(new TableServiceClientBuilder().endpoint(endpoint.toString())
					.credential(credential)
					.httpClient(http)
					.buildClient(), table);
			}
			client = new TableClientBuilder().endpoint(endpoint.toString())
				.credential(credential)
				.tableName(table)
				.httpClient(http)
				.buildClient();
		}
		return client;
	}

	@Bean
	@ConditionalOnMissingBean(MessageStore.class)
	@ConditionalOnExpression(CONFIGURED)
	AzureTableMessageStore azureTableMessageStore(TableClient chatTableClient, ChatAzureProperties properties) {
		return new AzureTableMessageStore(chatTableClient, properties.getTimeout());
	}

	/**
	 * Warns, in an Azure Functions host, when messages are kept in memory.
	 */
	@Bean
	static InMemoryStoreWarning chatAzureInMemoryStoreWarning(ObjectProvider<MessageStore> stores,
			Environment environment) {
		return new InMemoryStoreWarning(stores, environment);
	}

	private static void createTableIfMissing(TableServiceClient service, String table) {
		service.createTableIfNotExists(table);
	}

	/**
	 * Logs a warning once the context is refreshed when the store is not Azure Table's in
	 * a Function App ({@code FUNCTIONS_WORKER_RUNTIME} is set).
	 */
	static final class InMemoryStoreWarning implements org.springframework.beans.factory.SmartInitializingSingleton {

		private final ObjectProvider<MessageStore> stores;

		private final Environment environment;

		InMemoryStoreWarning(ObjectProvider<MessageStore> stores, Environment environment) {
			this.stores = stores;
			this.environment = environment;
		}

		@Override
		public void afterSingletonsInstantiated() {
			@Nullable MessageStore store = this.stores.getIfUnique();
			if (store != null && !(store instanceof AzureTableMessageStore)
					&& this.environment.containsProperty("FUNCTIONS_WORKER_RUNTIME")) {
				log.warn(
						"Messages are kept in {}, not Azure Table storage: set SKYFOLD_CHAT_AZURE_CONNECTIONSTRING "
								+ "or SKYFOLD_CHAT_AZURE_ENDPOINT, or messages are lost with this instance",
						store.getClass().getSimpleName());
			}
		}

	}

}
