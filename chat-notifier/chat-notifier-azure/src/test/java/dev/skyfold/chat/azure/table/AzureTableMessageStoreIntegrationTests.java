package dev.skyfold.chat.azure.table;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.HistoryPosition;
import dev.skyfold.chat.domain.MessageAttributes;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore.Saved;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStoreContract;
import dev.skyfold.testsupport.loopback.AzuriteServer;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The Azure Table store keeps the {@link MessageStore} contract against Azurite's Table
 * service, a fresh table per test; and it lays out its entities as {@link MessageTable}
 * describes.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES)
class AzureTableMessageStoreIntegrationTests extends MessageStoreContract {

	@RegisterExtension
	static final AzuriteServer azurite = new AzuriteServer();

	private static final AtomicInteger tables = new AtomicInteger();

	private static @Nullable TableServiceClient service;

	private @Nullable TableClient table;

	@BeforeAll
	static void connect() {
		service = new TableServiceClientBuilder().connectionString(azurite.connectionString())
			.httpClient(TableHttpClients.create(Duration.ofSeconds(30)))
			.buildClient();
	}

	@Override
	protected MessageStore createEmptyStore() {
		assertThat(service).as("service").isNotNull();
		String name = "chat" + tables.incrementAndGet();
		service.createTable(name);
		this.table = service.getTableClient(name);
		return new AzureTableMessageStore(this.table, Duration.ofSeconds(30));
	}

	private TableClient table() {
		assertThat(this.table).as("table").isNotNull();
		return this.table;
	}

	@Test
	void storesAMessageEntityAndAClaimOnItsClientMessageId() {
		ChatMessage withClientId = store().save(new NewMessage("general", "Ada", "Hi", "c/1#?"), "id-1", T0).message();
		ChatMessage withoutClientId = store()
			.save(new NewMessage("general", "Ada", "Again", null), "id-2", T0.plusSeconds(1))
			.message();

		List<TableEntity> entities = table().listEntities().stream().toList();

		assertThat(entities).extracting(TableEntity::getPartitionKey).containsOnly("general");
		assertThat(entities).extracting(TableEntity::getRowKey)
			.containsExactly("c_Yy8xIz8", "m_251629932302876543_id-2", "m_251629932303876543_id-1");
		TableEntity claim = entities.get(0);
		assertThat(claim.getProperty(MessageTable.MESSAGE_ROW_KEY)).isEqualTo(entities.get(2).getRowKey());
		assertThat(MessageTable.message(entities.get(2))).isEqualTo(withClientId);
		assertThat(entities.get(2).getProperty(MessageAttributes.CLIENT_MESSAGE_ID)).isEqualTo("c/1#?");
		assertThat(entities.get(2).getProperty(MessageAttributes.CREATED_AT)).isEqualTo("2026-03-01T12:34:56.123456Z");
		assertThat(MessageTable.message(entities.get(1))).isEqualTo(withoutClientId);
		assertThat(entities.get(1).getProperties()).doesNotContainKey(MessageAttributes.CLIENT_MESSAGE_ID);
	}

	@Test
	void storesAndReportsNewTheMessageOfAClaimWhosePosterDiedBeforeStoringIt() {
		NewMessage first = new NewMessage("general", "Ada", "Hi", "c-1");
		TableEntity claim = MessageTable.claimEntity(MessageTable.messageEntity(first, "id-1", T0));
		table().createEntity(claim);
		ChatMessage claimed = new ChatMessage("id-1", "general", "Ada", "Hi", T0);
		NewMessage repost = new NewMessage("general", "Ada", "Hi (retried)", "c-1");

		Saved healed = store().save(repost, "id-2", T0.plusSeconds(5));

		assertThat(healed).isEqualTo(new Saved(claimed, true));
		assertThat(store().latest("general", null, 10)).containsExactly(claimed);

		Saved again = store().save(repost, "id-3", T0.plusSeconds(10));

		assertThat(again).isEqualTo(new Saved(claimed, false));
		assertThat(store().latest("general", null, 10)).containsExactly(claimed);
		assertThat(table().listEntities().stream()).extracting(TableEntity::getRowKey)
			.containsExactly(claim.getRowKey(), MessageTable.messageRowKey("id-1", T0));
	}

	@Test
	void reportsAClaimedMessageNotNewWhenAConcurrentPostStoredItFirst() {
		NewMessage message = new NewMessage("general", "Ada", "Hi", "c-1");
		// What a concurrent post that found the claim first would have inserted.
		table().createEntity(MessageTable.messageEntity(message, "id-1", T0));

		Saved saved = store().save(message, "id-1", T0);

		assertThat(saved).isEqualTo(new Saved(new ChatMessage("id-1", "general", "Ada", "Hi", T0), false));
		assertThat(store().latest("general", null, 10)).containsExactly(saved.message());
		assertThat(table().listEntities().stream()).extracting(TableEntity::getRowKey)
			.containsExactly(MessageTable.claimRowKey("c-1"), MessageTable.messageRowKey("id-1", T0));
	}

	@Test
	void readsAHistoryLargerThanOnePage() {
		for (int i = 0; i < 1100; i++) {
			store().save(new NewMessage("general", "Ada", "message " + i, null), String.format("id-%04d", i),
					T0.plusMillis(i));
		}

		List<ChatMessage> latest = store().latest("general", null, 200);
		assertThat(latest).hasSize(200).extracting(ChatMessage::id).first().isEqualTo("id-0900");
		assertThat(latest).extracting(ChatMessage::id).last().isEqualTo("id-1099");
		assertThat(store().latest("general", HistoryPosition.before(T0.plusMillis(1)), 200)).extracting(ChatMessage::id)
			.containsExactly("id-0000");
	}

	@Test
	void answersNothingForALimitBelowOne() {
		save("general", "hello", T0);

		assertThat(store().latest("general", null, 0)).isEmpty();
	}

	@Test
	void rejectsAnIdThatCannotBeAKeyAndStoresNothing() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> store().save(new NewMessage("general", "Ada", "Hi", "c-1"), "a/b", T0))
			.withMessageContaining("'a/b'");
		assertThat(table().listEntities().stream()).isEmpty();
	}

}
