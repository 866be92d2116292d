package dev.skyfold.chat.aws.benchmark;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;
import java.util.UUID;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestHandler;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPEvent;
import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.AttributeValue;

/**
 * The cold-start floor of {@link ColdStartBenchmark}: what {@code postMessage} does on
 * its success path (read the JSON body, put the message into the chat table under the
 * same keys, answer 201 with the stored message as JSON) in a plain
 * {@code RequestHandler} with no Spring, no role check and no validation, written the way
 * a minimal Lambda function would be.
 */
public final class PlainPostHandler implements RequestHandler<APIGatewayV2HTTPEvent, APIGatewayV2HTTPResponse> {

	private static final DynamoDbClient DYNAMO = DynamoDbClient.builder()
		.httpClient(UrlConnectionHttpClient.create())
		.build();

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String TABLE = System.getenv("SKYFOLD_CHAT_AWS_TABLE");

	@Override
	public APIGatewayV2HTTPResponse handleRequest(APIGatewayV2HTTPEvent event, Context context) {
		try {
			JsonNode post = JSON.readTree(event.getBody());
			String id = UUID.randomUUID().toString();
			String createdAt = Instant.now().truncatedTo(ChronoUnit.MICROS).toString();
			String room = post.path("room").asText();
			String author = event.getRequestContext().getAuthorizer().getJwt().getClaims().get("name");
			String text = post.path("text").asText();
			DYNAMO.putItem((put) -> put.tableName(TABLE)
				.item(Map.of("room", s(room), "messageKey", s("m#" + id), "timeKey", s(createdAt + "#" + id), "id",
						s(id), "author", s(author), "text", s(text), "createdAt", s(createdAt)))
				.conditionExpression("attribute_not_exists(messageKey)"));
			String body = JSON.writeValueAsString(
					Map.of("id", id, "room", room, "author", author, "text", text, "createdAt", createdAt));
			return APIGatewayV2HTTPResponse.builder()
				.withStatusCode(201)
				.withHeaders(Map.of("Content-Type", "application/json"))
				.withBody(body)
				.build();
		}
		catch (JsonProcessingException ex) {
			return APIGatewayV2HTTPResponse.builder().withStatusCode(400).withBody(ex.getMessage()).build();
		}
	}

	private static AttributeValue s(String value) {
		return AttributeValue.builder().s(value).build();
	}

}
