package dev.skyfold.chat.aws.autoconfigure;

import java.net.URI;
import java.time.Instant;
import java.util.List;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.aws.ChatNotifierLambdaApplication;
import dev.skyfold.chat.aws.dynamodb.DynamoDbMessageStore;
import dev.skyfold.chat.aws.lambda.Events;
import dev.skyfold.chat.aws.lambda.MessageHistoryEventFunction;
import dev.skyfold.chat.aws.lambda.PostMessageEventFunction;
import dev.skyfold.chat.domain.BroadcastResult;
import dev.skyfold.chat.domain.ChatMessage;
import dev.skyfold.chat.port.LiveFeed;
import dev.skyfold.chat.port.MessageStore;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.cloud.function.context.FunctionCatalog;
import org.springframework.cloud.function.context.catalog.SimpleFunctionRegistry.FunctionInvocationWrapper;
import org.springframework.cloud.function.context.config.ContextFunctionCatalogAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The deployment contract on Lambda: the function catalog exposes {@code postMessage},
 * {@code broadcastMessage} and {@code messageHistory} with AWS event types, built on the
 * core's store and broadcast path (with no live feed: nobody listens on Lambda), and
 * messages go to the configured DynamoDB table.
 */
class ChatAwsAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ChatAwsAutoConfiguration.class, ChatNotifierAutoConfiguration.class,
				ContextFunctionCatalogAutoConfiguration.class));

	@Test
	void exposesPostMessageFromApiGatewayRequestToResponse() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().getBean("postMessage").isInstanceOf(PostMessageEventFunction.class);
			FunctionInvocationWrapper function = lookup(context, "postMessage");
			assertThat(function.getInputType()).isEqualTo(APIGatewayV2HTTPEvent.class);
			assertThat(function.getOutputType()).isEqualTo(APIGatewayV2HTTPResponse.class);
		});
	}

	@Test
	void exposesBroadcastMessageFromStreamBatchToBatchItemFailures() {
		this.runner.run((context) -> {
			assertThat(context).getBean("broadcastMessage")
				.isInstanceOf(ChatAwsAutoConfiguration.WithLambdaContext.class);
			FunctionInvocationWrapper function = lookup(context, "broadcastMessage");
			// A message, whose headers carry the Lambda context.
			assertThat(function.isInputTypeMessage()).isTrue();
			assertThat(function.getItemType(function.getInputType())).isEqualTo(DynamodbEvent.class);
			assertThat(function.getOutputType()).isEqualTo(StreamsEventResponse.class);
		});
	}

	@Test
	void exposesMessageHistoryFromApiGatewayRequestToResponse() {
		this.runner.run((context) -> {
			assertThat(context).getBean("messageHistory").isInstanceOf(MessageHistoryEventFunction.class);
			FunctionInvocationWrapper function = lookup(context, "messageHistory");
			assertThat(function.getInputType()).isEqualTo(APIGatewayV2HTTPEvent.class);
			assertThat(function.getOutputType()).isEqualTo(APIGatewayV2HTTPResponse.class);
		});
	}

	@Test
	void keepsTheCoresStoreAndBroadcastPathWithoutATable() {
		this.runner.run((context) -> {
			assertThat(context).doesNotHaveBean(DynamoDbClient.class)
				.doesNotHaveBean(DynamoDbMessageStore.class)
				.hasSingleBean(MessageStore.class)
				.hasSingleBean(BroadcastService.class);
			APIGatewayV2HTTPResponse response = (APIGatewayV2HTTPResponse) lookup(context, "postMessage")
				.apply(Events.load("apigw-v2-post.json", APIGatewayV2HTTPEvent.class));
			assertThat(response.getStatusCode()).isEqualTo(201);
			assertThat(context.getBean(MessageStore.class).latest("general", null, 10)).hasSize(1);
		});
	}

	@Test
	void deliversToNoLiveFeedSinceNobodyListensOnLambda() {
		ChatMessage message = new ChatMessage("m-1", "general", "Ada", "Hello", Instant.parse("2026-03-01T12:00:00Z"));
		new ApplicationContextRunner().withUserConfiguration(ChatNotifierLambdaApplication.class).run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(LiveFeed.class);
			assertThat(context.getBean(BroadcastService.class).broadcast(message))
				.isEqualTo(new BroadcastResult("m-1", List.of(), List.of()));
		});
	}

	@Test
	void storesInTheConfiguredDynamoDbTable() {
		this.runner.withBean(DynamoDbClient.class, ChatAwsAutoConfigurationTests::offlineClient)
			.withPropertyValues("skyfold.chat.aws.table=skyfold-chat")
			.run((context) -> assertThat(context).hasNotFailed()
				.getBean(MessageStore.class)
				.isInstanceOf(DynamoDbMessageStore.class)
				.extracting((store) -> ((DynamoDbMessageStore) store).table())
				.isEqualTo("skyfold-chat"));
	}

	@Test
	void buildsItsOwnDynamoDbClientForTheTable() {
		this.runner
			.withSystemProperties("aws.region=eu-west-1", "aws.accessKeyId=test", "aws.secretAccessKey=test",
					"aws.endpointUrlDynamoDb=http://127.0.0.1:9")
			.withPropertyValues("skyfold.chat.aws.table=skyfold-chat")
			.run((context) -> {
				assertThat(context).hasNotFailed().hasSingleBean(DynamoDbClient.class);
				var configuration = context.getBean(DynamoDbClient.class).serviceClientConfiguration();
				assertThat(configuration.region()).isEqualTo(Region.EU_WEST_1);
				assertThat(configuration.endpointOverride()).contains(URI.create("http://127.0.0.1:9"));
			});
	}

	@Test
	void refusesABlankTable() {
		this.runner.withBean(DynamoDbClient.class, ChatAwsAutoConfigurationTests::offlineClient)
			.withPropertyValues("skyfold.chat.aws.table= ")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("skyfold.chat.aws.table"));
	}

	private static DynamoDbClient offlineClient() {
		return DynamoDbClient.builder()
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("test", "test")))
			.endpointOverride(URI.create("http://127.0.0.1:9"))
			.build();
	}

	private static FunctionInvocationWrapper lookup(AssertableApplicationContext context, String name) {
		FunctionInvocationWrapper function = context.getBean(FunctionCatalog.class).lookup(name);
		assertThat(function).as("function '%s' in the catalog", name).isNotNull();
		return function;
	}

}
