package dev.skyfold.local;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import dev.skyfold.testsupport.loopback.PostgresServer;
import dev.skyfold.testsupport.loopback.RedisServer;

import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Instances of the local app scaled out with the {@code redis} profile, sharing one real
 * PostgreSQL database and one real Redis server, each on a loopback port with its own
 * data folder; closing stops them, the last started first.
 */
final class ScaleOutInstances implements AutoCloseable {

	private final PostgresServer postgres;

	private final RedisServer redis;

	private final String database;

	private final List<ConfigurableApplicationContext> started = new ArrayList<>();

	ScaleOutInstances(PostgresServer postgres, RedisServer redis, String database) {
		this.postgres = postgres;
		this.redis = redis;
		this.database = database;
	}

	/**
	 * Starts one more instance.
	 * @param data its data folder
	 * @param options more command-line options
	 * @return its port
	 */
	int start(Path data, String... options) {
		try {
			Files.createDirectories(data);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		List<String> arguments = new ArrayList<>(List.of("--server.port=0", "--server.address=127.0.0.1",
				// Streams still open at the end must not hold up the shutdown.
				"--server.shutdown=immediate", "--spring.datasource.url=" + this.postgres.jdbcUrl(this.database),
				"--spring.datasource.username=" + PostgresServer.USER, "--spring.datasource.password=",
				"--spring.data.redis.host=" + this.redis.host(), "--spring.data.redis.port=" + this.redis.port(),
				"--skyfold.local.data=" + data));
		arguments.addAll(List.of(options));
		ConfigurableApplicationContext context = new SpringApplicationBuilder(SkyfoldLocalApplication.class)
			.profiles("redis")
			.run(arguments.toArray(String[]::new));
		this.started.add(context);
		Integer port = context.getEnvironment().getProperty("local.server.port", Integer.class);
		assertThat(port).as("local.server.port").isNotNull().isPositive();
		return port;
	}

	/**
	 * The instances started so far.
	 * @return their contexts, in the order they started
	 */
	List<ConfigurableApplicationContext> contexts() {
		return List.copyOf(this.started);
	}

	@Override
	public void close() {
		for (int i = this.started.size() - 1; i >= 0; i--) {
			this.started.get(i).close();
		}
		this.started.clear();
	}

}
