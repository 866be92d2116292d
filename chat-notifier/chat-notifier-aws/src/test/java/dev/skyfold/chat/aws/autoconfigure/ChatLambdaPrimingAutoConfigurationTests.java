package dev.skyfold.chat.aws.autoconfigure;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;

import dev.skyfold.aws.lambda.autoconfigure.LambdaPrimingAutoConfiguration;
import dev.skyfold.aws.lambda.priming.LambdaPrimer;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.chat.port.MessageStore;
import io.micrometer.core.instrument.Metrics;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.adapter.aws.AWSCompanionAutoConfiguration;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link ChatLambdaPrimingAutoConfiguration}: each chat function's path runs on
 * its sample with DynamoDB out of reach, stores nothing, pushes nothing and counts
 * nothing.
 */
class ChatLambdaPrimingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatAwsAutoConfiguration.class, ChatNotifierAutoConfiguration.class,
				ChatLambdaPrimingAutoConfiguration.class, ContextFunctionCatalogAutoConfiguration.class,
				LambdaPrimingAutoConfiguration.class))
		// What the Lambda handler adds to the application: AWS event types read as AWS
		// does.
		.withUserConfiguration(AWSCompanionAutoConfiguration.class, UnreachableDynamoDb.class)
		.withPropertyValues("skyfold.chat.aws.table=skyfold-chat");

	@Test
	void primesEachFunctionWithoutReachingDynamoDbOrBroadcasting() {
		this.runner.run((context) -> {
			assertThat(context.getBean(MessageStore.class).getClass().getSimpleName())
				.isEqualTo("DynamoDbMessageStore");
			double stored = Metrics.globalRegistry.counter(ChatService.MESSAGES_STORED).count();

			LambdaPrimer.Report report = context.getBean(LambdaPrimer.class).prime();

			assertThat(report.failed()).isEmpty();
			assertThat(report.primed()).containsExactlyInAnyOrder("postMessage", "messageHistory", "broadcastMessage");
			assertThat(context.getBean(UnreachableDynamoDb.class).broadcasts).as("broadcasts of the host").isZero();
			assertThat(Metrics.globalRegistry.counter(ChatService.MESSAGES_STORED).count()).isEqualTo(stored);
		});
	}

	@Test
	void primesOnlyTheDefinedFunction() {
		this.runner.withPropertyValues("spring.cloud.function.definition=postMessage").run((context) -> {
			LambdaPrimer.Report report = context.getBean(LambdaPrimer.class).prime();

			assertThat(report.failed()).isEmpty();
			assertThat(report.primed()).containsExactly("postMessage");
		});
	}

	@Test
	void primesWithTheConfiguredRolesClaim() {
		this.runner.withPropertyValues("skyfold.security.roles-claim=custom:roles").run((context) -> {
			LambdaPrimer.Report report = context.getBean(LambdaPrimer.class).prime();

			assertThat(report.failed()).isEmpty();
		});
	}

	/**
	 * The function's DynamoDB client aimed at a closed port, and a broadcaster that
	 * counts.
	 */
	@Configuration(proxyBeanMethods = false)
	static class UnreachableDynamoDb {

		int broadcasts;

		@Bean
		DynamoDbClient dynamoDbClient() throws IOException {
			int closedPort;
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				closedPort = socket.getLocalPort();
			}
			return DynamoDbClient.builder()
				.endpointOverride(URI.create("http://127.0.0.1:" + closedPort))
				.region(Region.US_EAST_1)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
				.httpClient(UrlConnectionHttpClient.create())
				.build();
		}

		@Bean
		Broadcaster countingBroadcaster() {
			return (ChatMessage message) -> this.broadcasts++;
		}

	}

}
