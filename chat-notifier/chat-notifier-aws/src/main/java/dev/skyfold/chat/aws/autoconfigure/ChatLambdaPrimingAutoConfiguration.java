package dev.skyfold.chat.aws.autoconfigure;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.events.DynamodbEvent;
import com.amazonaws.services.lambda.runtime.events.StreamsEventResponse;
import dev.skyfold.chat.application.BroadcastMessageFunction;
import dev.skyfold.chat.application.BroadcastService;
import dev.skyfold.chat.application.ChatService;
import dev.skyfold.chat.application.MessageHistoryFunction;
import dev.skyfold.chat.application.PostMessageFunction;
import dev.skyfold.chat.autoconfigure.ChatNotifierAutoConfiguration;
import dev.skyfold.chat.autoconfigure.ChatProperties;
import dev.skyfold.chat.aws.autoconfigure.ChatAwsAutoConfiguration.WithLambdaContext;
import dev.skyfold.chat.aws.dynamodb.DynamoDbMessageStore;
import dev.skyfold.chat.aws.lambda.BroadcastMessageEventFunction;
import dev.skyfold.chat.aws.lambda.MessageHistoryEventFunction;
import dev.skyfold.chat.aws.lambda.PostMessageEventFunction;
import dev.skyfold.chat.domain.PostMessage;
import dev.skyfold.chat.port.Broadcaster;
import dev.skyfold.kernel.FunctionPriming;
import dev.skyfold.kernel.access.RoleClaims;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.http.AbortableInputStream;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.http.SdkHttpResponse;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.context.annotation.Bean;

/**
 * Primes the chat's Lambda functions for SnapStart: a sample API Gateway request or
 * DynamoDB stream batch goes through each function's whole path (the event mapping, the
 * caller's role check, the message's validation, the DynamoDB store and the answer's
 * JSON) against a DynamoDB client whose HTTP client answers in the JVM, and
 * {@code broadcastMessage} broadcasts to a stand-in broadcaster. Nothing is stored in
 * DynamoDB, nothing is pushed to FCM, and nothing is counted. (The FCM SDK's own first
 * send is not primed: it would need Google's token and FCM endpoints.)
 */
@AutoConfiguration(after = { ChatAwsAutoConfiguration.class, ChatNotifierAutoConfiguration.class })
@ConditionalOnBean({ RoleClaims.class, ChatProperties.class })
public final class ChatLambdaPrimingAutoConfiguration {

	@Bean
	FunctionPriming postMessagePriming(RoleClaims roles, ChatProperties chat, ChatAwsProperties aws) {
		return new ChatPriming(PostMessageFunction.NAME, roles, chat, aws);
	}

	@Bean
	FunctionPriming messageHistoryPriming(RoleClaims roles, ChatProperties chat, ChatAwsProperties aws) {
		return new ChatPriming(MessageHistoryFunction.NAME, roles, chat, aws);
	}

	@Bean
	FunctionPriming broadcastMessagePriming(RoleClaims roles, ChatProperties chat, ChatAwsProperties aws) {
		return new ChatPriming(BroadcastMessageFunction.NAME, roles, chat, aws);
	}

	/**
	 * Runs one chat function on its sample, its table stood in for.
	 */
	static final class ChatPriming implements FunctionPriming {

		static final String TABLE = "skyfold-priming";

		static final String ROOM = "skyfold-priming";

		private static final String REQUEST = """
				{"version":"2.0","routeKey":"%1$s /messages","rawPath":"/messages","rawQueryString":"%2$s",
				"headers":{"accept":"application/json","content-type":"application/json",
				"host":"priming.execute-api.us-east-1.amazonaws.com","x-forwarded-proto":"https"},
				%3$s
				"requestContext":{"accountId":"000000000000","apiId":"priming",
				"authorizer":{"jwt":{"claims":{"%4$s":"[member]","cognito:groups":"[member]",
				"name":"Skyfold Priming","sub":"skyfold-priming","token_use":"id"},"scopes":null}},
				"domainName":"priming.execute-api.us-east-1.amazonaws.com","domainPrefix":"priming",
				"http":{"method":"%1$s","path":"/messages","protocol":"HTTP/1.1","sourceIp":"127.0.0.1",
				"userAgent":"skyfold-priming"},"requestId":"priming","routeKey":"%1$s /messages","stage":"$default",
				"time":"01/Jan/2026:00:00:00 +0000","timeEpoch":1767225600000},
				"body":%5$s,"isBase64Encoded":false}
				""";

		private static final String STREAM_BATCH = """
				{"Records":[{"eventID":"priming","eventName":"INSERT","eventVersion":"1.1",
				"eventSource":"aws:dynamodb","awsRegion":"us-east-1","dynamodb":{
				"ApproximateCreationDateTime":1767225600,
				"Keys":{"room":{"S":"%1$s"},"messageKey":{"S":"c#priming"}},
				"NewImage":{"room":{"S":"%1$s"},"messageKey":{"S":"c#priming"},
				"timeKey":{"S":"2026-01-01T00:00:00.000000000Z#00000000-0000-4000-8000-000000000000"},
				"id":{"S":"00000000-0000-4000-8000-000000000000"},"author":{"S":"Skyfold Priming"},
				"text":{"S":"Priming \\u2713\\nSecond line."},"createdAt":{"S":"2026-01-01T00:00:00Z"},
				"clientMessageId":{"S":"priming"}},
				"SequenceNumber":"1","SizeBytes":300,"StreamViewType":"NEW_IMAGE"},
				"eventSourceARN":"arn:aws:dynamodb:us-east-1:000000000000:table/%2$s/stream/2026-01-01T00:00:00.000"}]}
				""";

		private final String function;

		private final RoleClaims roles;

		private final ChatProperties chat;

		private final ChatAwsProperties aws;

		ChatPriming(String function, RoleClaims roles, ChatProperties chat, ChatAwsProperties aws) {
			this.function = function;
			this.roles = roles;
			this.chat = chat;
			this.aws = aws;
		}

		@Override
		public String function() {
			return this.function;
		}

		@Override
		public void prime(Invoker invoker) {
			StandInDynamoDb table = new StandInDynamoDb();
			AtomicInteger pushed = new AtomicInteger();
			Broadcaster standIn = (message) -> pushed.incrementAndGet();
			try (DynamoDbClient client = table.client(this.aws)) {
				BroadcastService broadcasts = new BroadcastService(List.of(standIn),
						BroadcastService.Backoff.defaults(), new SimpleMeterRegistry());
				ChatService chat = new ChatService(new DynamoDbMessageStore(client, TABLE), broadcasts,
						this.chat.getHistory().getDefaultLimit(), Clock.systemUTC(), new SimpleMeterRegistry());
				switch (this.function) {
					case PostMessageFunction.NAME -> expect(
							invoker.invoke(new PostMessageEventFunction(chat::post, this.roles),
									request("POST", "", "",
											"{\"room\":\"" + ROOM
													+ "\",\"text\":\"Priming \\u2713\",\"clientMessageId\":\"p\"}")),
							"\"statusCode\":201");
					case MessageHistoryFunction.NAME -> {
						chat.post(new PostMessage(ROOM, "Skyfold Priming", "Priming \u2713"));
						expect(invoker.invoke(new MessageHistoryEventFunction(chat::history, this.roles),
								request("GET", "room=" + ROOM + "&limit=10",
										"\"queryStringParameters\":{\"room\":\"" + ROOM + "\",\"limit\":\"10\"},",
										null)),
								"\"statusCode\":200", "Priming");
					}
					case BroadcastMessageFunction.NAME -> {
						BroadcastMessageEventFunction handler = new BroadcastMessageEventFunction(
								broadcasts::broadcast);
						WithLambdaContext<DynamodbEvent, StreamsEventResponse> broadcastMessage = new WithLambdaContext<>(
								(DynamodbEvent event, Context context) -> handler.apply(event, context));
						expect(invoker.invoke(broadcastMessage,
								STREAM_BATCH.formatted(ROOM, TABLE).getBytes(StandardCharsets.UTF_8)),
								"\"batchItemFailures\":[]");
						if (pushed.get() != 1) {
							throw new IllegalStateException("Priming broadcast " + pushed.get() + " messages, not 1");
						}
					}
					default -> throw new IllegalStateException("No sample for " + this.function);
				}
			}
		}

		private byte[] request(String method, String query, String parameters, String body) {
			String json = (body != null) ? JsonMapper.shared().writeValueAsString(body) : "null";
			return REQUEST.formatted(method, query, parameters, this.roles.claim(), json)
				.getBytes(StandardCharsets.UTF_8);
		}

		private void expect(String answer, String... parts) {
			for (String part : parts) {
				if (!answer.contains(part)) {
					throw new IllegalStateException("Priming " + this.function + " answered " + answer);
				}
			}
		}

	}

	/**
	 * DynamoDB as far as the chat uses it, answered in the JVM by an SDK HTTP client that
	 * sends nothing, so the SDK's whole request path runs: a {@code PutItem} is kept in
	 * memory, a {@code Query} answers the items kept, a {@code GetItem} the last.
	 */
	static final class StandInDynamoDb implements SdkHttpClient {

		private final AtomicReference<String> item = new AtomicReference<>();

		/** A client configured as the function's, over this stand-in. */
		DynamoDbClient client(ChatAwsProperties properties) {
			String region = System.getenv("AWS_REGION");
			return DynamoDbClient.builder()
				.httpClient(this)
				.region((region != null && !region.isBlank()) ? Region.of(region) : Region.US_EAST_1)
				.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("priming", "priming")))
				.overrideConfiguration((override) -> override.apiCallTimeout(properties.getTimeout()))
				.build();
		}

		@Override
		public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
			return new StandInCall(() -> {
				byte[] body = new byte[0];
				if (request.contentStreamProvider().isPresent()) {
					try (InputStream in = request.contentStreamProvider().get().newStream()) {
						body = in.readAllBytes();
					}
				}
				String target = request.httpRequest().firstMatchingHeader("X-Amz-Target").orElse("");
				return answer(target.substring(target.indexOf('.') + 1), body);
			});
		}

		private HttpExecuteResponse answer(String operation, byte[] body) {
			String kept = this.item.get();
			String answer;
			if ("PutItem".equals(operation)) {
				JsonNode put = JsonMapper.shared().readTree(body);
				this.item.set(put.get("Item").toString());
				answer = "{}";
			}
			else if ("Query".equals(operation)) {
				answer = (kept != null) ? "{\"Count\":1,\"ScannedCount\":1,\"Items\":[" + kept + "]}"
						: "{\"Count\":0,\"ScannedCount\":0,\"Items\":[]}";
			}
			else if ("GetItem".equals(operation)) {
				answer = (kept != null) ? "{\"Item\":" + kept + "}" : "{}";
			}
			else {
				return response(400, "{\"__type\":\"com.amazon.coral.service#UnknownOperationException\"}");
			}
			return response(200, answer);
		}

		private static HttpExecuteResponse response(int status, String json) {
			byte[] body = json.getBytes(StandardCharsets.UTF_8);
			CRC32 crc = new CRC32();
			crc.update(body);
			return HttpExecuteResponse.builder()
				.response(SdkHttpResponse.builder()
					.statusCode(status)
					.putHeader("Content-Type", "application/x-amz-json-1.0")
					.putHeader("Content-Length", Integer.toString(body.length))
					.putHeader("x-amz-crc32", Long.toString(crc.getValue()))
					.build())
				.responseBody(AbortableInputStream.create(new ByteArrayInputStream(body)))
				.build();
		}

		@Override
		public String clientName() {
			return "SkyfoldPriming";
		}

		@Override
		public void close() {
		}

	}

	/**
	 * A request to the stand-in, answered when called.
	 */
	static final class StandInCall implements ExecutableHttpRequest {

		private final Callable<HttpExecuteResponse> answer;

		StandInCall(Callable<HttpExecuteResponse> answer) {
			this.answer = answer;
		}

		@Override
		public HttpExecuteResponse call() throws IOException {
			try {
				return this.answer.call();
			}
			catch (IOException | RuntimeException ex) {
				throw ex;
			}
			catch (Exception ex) {
				throw new IOException(ex);
			}
		}

		@Override
		public void abort() {
		}

	}

}
