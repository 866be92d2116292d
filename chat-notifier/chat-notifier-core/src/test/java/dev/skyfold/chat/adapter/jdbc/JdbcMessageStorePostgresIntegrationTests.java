package dev.skyfold.chat.adapter.jdbc;

import java.sql.Connection;
import java.util.List;

import com.zaxxer.hikari.HikariDataSource;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.chat.port.MessageStoreContract;
import dev.skyfold.testsupport.loopback.PostgresServer;
import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.output.MigrateResult;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The JDBC store keeps the {@link MessageStore} contract on a real PostgreSQL server,
 * unchanged from H2: the scale-out setup of the local app and the cloud.
 */
class JdbcMessageStorePostgresIntegrationTests extends MessageStoreContract {

	@RegisterExtension
	static final PostgresServer postgres = new PostgresServer();

	private static @Nullable HikariDataSource dataSource;

	private static @Nullable MigrateResult migration;

	@BeforeAll
	static void migrate() {
		HikariDataSource pool = new HikariDataSource();
		pool.setJdbcUrl(postgres.jdbcUrl(postgres.createDatabase("chat")));
		pool.setUsername(PostgresServer.USER);
		pool.setMaximumPoolSize(20);
		pool.setMinimumIdle(1);
		dataSource = pool;
		migration = Flyway.configure().dataSource(pool).locations("classpath:db/migration/chat").load().migrate();
	}

	@AfterAll
	static void closeDataSource() {
		if (dataSource != null) {
			dataSource.close();
		}
	}

	@Override
	protected MessageStore createEmptyStore() {
		JdbcClient jdbc = JdbcClient.create(pool());
		jdbc.sql("TRUNCATE chat_message").update();
		return new JdbcMessageStore(jdbc);
	}

	private static HikariDataSource pool() {
		assertThat(dataSource).as("data source").isNotNull();
		return dataSource;
	}

	@Test
	void runsOnARealPostgresqlServer() throws Exception {
		try (Connection connection = pool().getConnection()) {
			assertThat(connection.getMetaData().getDatabaseProductName()).isEqualTo("PostgreSQL");
			assertThat(connection.getMetaData().getURL()).startsWith("jdbc:postgresql://127.0.0.1:");
		}
		assertThat(migration).isNotNull();
		assertThat(migration.migrationsExecuted).isEqualTo(1);
		assertThat(migration.database).isEqualTo("chat");
		assertThat(JdbcClient.create(pool()).sql("SHOW server_encoding").query(String.class).single())
			.isEqualTo("UTF8");
	}

	@Test
	void keepsTheHistoryAcrossNewConnections() {
		List<ChatMessage> messages = saveInShuffledOrder("general", 3);
		try (HikariDataSource other = new HikariDataSource()) {
			other.setJdbcUrl(postgres.jdbcUrl("chat"));
			other.setUsername(PostgresServer.USER);
			assertThat(new JdbcMessageStore(JdbcClient.create(other)).latest("general", null, 10))
				.containsExactlyElementsOf(messages);
		}
	}

}
