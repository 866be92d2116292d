package dev.skyfold.chat.adapter.jdbc;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.domain.NewMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStoreContract;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC store on the embedded default, an H2 database in a file as the local app opens
 * it, keeps the {@link MessageStore} contract and its messages across a restart.
 */
class JdbcMessageStoreH2Tests extends MessageStoreContract {

	@TempDir
	Path directory;

	private final List<HikariDataSource> dataSources = new ArrayList<>();

	private @Nullable MigrateResult lastMigration;

	@Override
	protected MessageStore createEmptyStore() {
		return open(this.directory.resolve("data"));
	}

	@AfterEach
	void closeDataSources() {
		this.dataSources.forEach(HikariDataSource::close);
	}

	private JdbcMessageStore open(Path folder) {
		HikariDataSource dataSource = new HikariDataSource();
		dataSource.setJdbcUrl("jdbc:h2:file:" + folder.resolve("messages").toAbsolutePath());
		dataSource.setUsername("sa");
		dataSource.setPassword("");
		dataSource.setMaximumPoolSize(20);
		dataSource.setMinimumIdle(1);
		this.dataSources.add(dataSource);
		this.lastMigration = Flyway.configure()
			.dataSource(dataSource)
			.locations("classpath:db/migration/chat")
			.load()
			.migrate();
		return new JdbcMessageStore(JdbcClient.create(dataSource));
	}

	@Test
	void keepsTheHistoryAcrossARestart() throws Exception {
		List<ChatMessage> before = saveInShuffledOrder("general", 3);
		ChatMessage withClientId = store()
			.save(new NewMessage("general", "Ada", "posted once", "c-1"), "c-msg", T0.plusSeconds(10))
			.message();
		assertThat(this.lastMigration).isNotNull().extracting((result) -> result.migrationsExecuted).isEqualTo(1);
		this.dataSources.forEach(HikariDataSource::close);
		// A copy of the closed file: only what reached the disk survives.
		Path reopened = Files.createDirectories(this.directory.resolve("reopened"));
		Files.copy(this.directory.resolve("data/messages.mv.db"), reopened.resolve("messages.mv.db"));
		JdbcMessageStore store = open(reopened);
		assertThat(this.lastMigration).isNotNull().extracting((result) -> result.migrationsExecuted).isEqualTo(0);
		assertThat(store.latest("general", null, 10)).containsSequence(before).endsWith(withClientId).hasSize(4);
		assertThat(store.save(new NewMessage("general", "Ada", "posted again", "c-1"), "c-msg-2", T0.plusSeconds(20)))
			.isEqualTo(new MessageStore.Saved(withClientId, false));
	}

}
