package dev.skyfold.chat.azure.autoconfigure;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;

import com.azure.data.tables.TableClient;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.azure.ChatNotifierAzureApplication;
import dev.skyfold.chat.azure.table.AzureTableMessageStore;
import dev.skyfold.chat.fcm.FcmAutoConfiguration;
import dev.skyfold.chat.fcm.FcmCredentials;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.testsupport.loopback.fcm.TestServiceAccount;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which store and FCM credentials the Azure auto-configurations bring, by configuration,
 * and that the app has no live feed. No call reaches a server: building a table client
 * does not.
 */
class ChatAzureAutoConfigurationTests {

	private static final String CONNECTION_STRING = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
			+ "AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;"
			+ "TableEndpoint=http://127.0.0.1:1/devstoreaccount1;";

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatAzureAutoConfiguration.class, ChatAzureFcmAutoConfiguration.class,
				ChatNotifierAutoConfiguration.class, FcmAutoConfiguration.class));

	@TempDir
	Path directory;

	@Test
	void storesInTheTableThatTheConnectionStringReaches() {
		this.runner
			.withPropertyValues("skyfold.chat.azure.connection-string=" + CONNECTION_STRING,
					"skyfold.chat.azure.table=chat")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MessageStore.class)).isInstanceOf(AzureTableMessageStore.class);
				assertThat(context.getBean(TableClient.class).getTableName()).isEqualTo("chat");
				assertThat(context.getBean(TableClient.class).getTableEndpoint()).startsWith("http://127.0.0.1:1/")
					.endsWith("/chat");
			});
	}

	@Test
	void storesInTheTableAtTheEndpointWithTheManagedIdentity() {
		this.runner.withPropertyValues("skyfold.chat.azure.endpoint=https://skyfold.table.core.windows.net")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(MessageStore.class)).isInstanceOf(AzureTableMessageStore.class);
				assertThat(context.getBean(TableClient.class).getTableEndpoint())
					.isEqualTo("https://skyfold.table.core.windows.net/chatmessages");
			});
	}

	@Test
	void keepsTheCoresStoreWithoutAnAccount() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).doesNotHaveBean(TableClient.class);
			assertThat(context.getBean(MessageStore.class)).isNotInstanceOf(AzureTableMessageStore.class);
		});
	}

	@Test
	void deliversToNoLiveFeedSinceNobodyListensOnAzure() {
		ChatMessage message = new ChatMessage("m-1", "general", "Ada", "Hello", Instant.parse("2026-03-01T12:00:00Z"));
		new ApplicationContextRunner().withUserConfiguration(ChatNotifierAzureApplication.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(LiveFeed.class);
			assertThat(context.getBean(BroadcastService.class).broadcast(message))
				.isEqualTo(new BroadcastResult("m-1", List.of(), List.of()));
		});
	}

	@Test
	void refusesATableNameThatAzureRefuses() {
		this.runner
			.withPropertyValues("skyfold.chat.azure.connection-string=" + CONNECTION_STRING,
					"skyfold.chat.azure.table=chat-messages")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("skyfold.chat.azure.table")
				.hasMessageContaining("'chat-messages'"));
	}

	@Test
	void takesTheFcmKeyFromTheApplicationSetting() throws Exception {
		String key = java.nio.file.Files.readString(
				TestServiceAccount.create("skyfold-test").writeKeyFile(this.directory, "http://127.0.0.1:1/token"));
		this.runner.withPropertyValues("skyfold.chat.fcm.enabled=true", "skyfold.chat.azure.fcm-credentials=" + key)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(FcmCredentials.class).googleCredentials()).isNotNull();
			});
	}

	@Test
	void refusesAnUnresolvedKeyVaultReference() {
		this.runner.withPropertyValues("skyfold.chat.fcm.enabled=true",
				"skyfold.chat.azure.fcm-credentials=@Microsoft.KeyVault(SecretUri=https://v.vault.azure.net/secrets/fcm/)")
			.run((context) -> assertThat(context).getFailure().rootCause().hasMessageContaining("Key Vault"));
	}

}
