package dev.skyfold.chat.aws.autoconfigure;

import java.util.function.BiFunction;
import java.util.function.Function;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.application.MessageHistoryFunction;
import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.aws.dynamodb.DynamoDbMessageStore;
import dev.skyfold.chat.aws.lambda.BroadcastMessageEventFunction;
import dev.skyfold.chat.aws.lambda.MessageHistoryEventFunction;
import dev.skyfold.chat.aws.lambda.PostMessageEventFunction;
import dev.skyfold.chat.port.MessageStore;
import dev.skyfold.kernel.access.RoleClaims;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.function.adapter.aws.AWSLambdaUtils;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;
import org.springframework.messaging.Message;

/**
 * Makes {@code postMessage}, {@code broadcastMessage} and {@code messageHistory} Lambda
 * functions: the beans of those names take API Gateway HTTP API requests and DynamoDB
 * stream batches and hand them to the core's services. Messages are stored in the
 * DynamoDB table {@code skyfold.chat.aws.table} names. Runs before the core's
 * auto-configuration, whose own functions and in-memory store then stand back; its
 * services, the broadcast path included (every broadcaster, FCM's when enabled), stay.
 */
@AutoConfiguration(before = ChatNotifierAutoConfiguration.class)
@EnableConfigurationProperties(ChatAwsProperties.class)
public final class ChatAwsAutoConfiguration {

	private static final Logger log = LoggerFactory.getLogger(ChatAwsAutoConfiguration.class);

	/**
	 * The DynamoDB client: region, credentials and endpoint from the SDK's default chains
	 * ({@code AWS_REGION}, {@code AWS_ENDPOINT_URL_DYNAMODB}, {@code AWS_ENDPOINT_URL} or
	 * the {@code aws.*} system properties), over the JDK's {@code HttpURLConnection},
	 * which starts faster and weighs less than the SDK's other HTTP clients.
	 */
	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnProperty("skyfold.chat.aws.table")
	DynamoDbClient dynamoDbClient(ChatAwsProperties properties) {
		return DynamoDbClient.builder()
			.httpClientBuilder(UrlConnectionHttpClient.builder()
				.connectionTimeout(properties.getTimeout())
				.socketTimeout(properties.getTimeout()))
			.build();
	}

	@Bean
	@ConditionalOnMissingBean(MessageStore.class)
	@ConditionalOnProperty("skyfold.chat.aws.table")
	DynamoDbMessageStore dynamoDbMessageStore(DynamoDbClient dynamo, ChatAwsProperties properties) {
		String table = properties.getTable();
		if (table == null || table.isBlank()) {
			throw new IllegalStateException("skyfold.chat.aws.table must name a DynamoDB table");
		}
		return new DynamoDbMessageStore(dynamo, table);
	}

	@Bean(PostMessageFunction.NAME)
	@ConditionalOnMissingBean(name = PostMessageFunction.NAME)
	PostMessageEventFunction postMessage(ChatService chat, RoleClaims roles, MessageStore store,
			Environment environment) {
		warnIfMessagesAreLost(store, environment);
		return new PostMessageEventFunction(chat::post, roles);
	}

	@Bean(BroadcastMessageFunction.NAME)
	@ConditionalOnMissingBean(name = BroadcastMessageFunction.NAME)
	WithLambdaContext<DynamodbEvent, StreamsEventResponse> broadcastMessage(BroadcastService broadcasts) {
		// Takes a message, whose headers carry the Lambda context: the remaining time is
		// the broadcasts' deadline.
		return new WithLambdaContext<>(new BroadcastMessageEventFunction(broadcasts::broadcast)::apply);
	}

	@Bean(MessageHistoryFunction.NAME)
	@ConditionalOnMissingBean(name = MessageHistoryFunction.NAME)
	MessageHistoryEventFunction messageHistory(ChatService chat, RoleClaims roles) {
		return new MessageHistoryEventFunction(chat::history, roles);
	}

	private static void warnIfMessagesAreLost(MessageStore store, Environment environment) {
		String definition = environment.getProperty("spring.cloud.function.definition", "");
		boolean storing = definition.contains(PostMessageFunction.NAME)
				|| definition.contains(MessageHistoryFunction.NAME);
		if (storing && !(store instanceof DynamoDbMessageStore)
				&& environment.containsProperty("AWS_LAMBDA_FUNCTION_NAME")) {
			log.warn(
					"{} keeps messages in {}, not DynamoDB: set SKYFOLD_CHAT_AWS_TABLE to the chat table, "
							+ "or messages are lost with this Lambda instance",
					definition, store.getClass().getSimpleName());
		}
	}

	/**
	 * Hands a Lambda handler the invocation's context, which Spring Cloud Function's AWS
	 * adapter passes only in the headers of a message: the handler learns its remaining
	 * time from it.
	 *
	 * @param <I> the event
	 * @param <O> the answer
	 */
	static final class WithLambdaContext<I, O> implements Function<Message<I>, O> {

		private final BiFunction<I, Context, O> handler;

		/**
		 * Wraps a handler.
		 * @param handler handles an event with its invocation's context, {@code null}
		 * when the message carried none
		 */
		WithLambdaContext(BiFunction<I, Context, O> handler) {
			this.handler = handler;
		}

		@Override
		public O apply(Message<I> event) {
			return this.handler.apply(event.getPayload(),
					event.getHeaders().get(AWSLambdaUtils.AWS_CONTEXT, Context.class));
		}

	}

}
