package dev.skyfold.chat.aws.dynamodb;

import java.net.URI;
import java.time.Duration;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.dynamodb.DynamoDbClient;
import software.amazon.awssdk.services.dynamodb.model.TableStatus;

/**
 * Chat tables in dynalite, created as the SAM template creates them
 * ({@link MessageTable#createTableRequest}).
 */
public final class DynaliteTables {

	/** The credentials the tests sign with; dynalite takes any. */
	public static final String ACCESS_KEY = "test";

	private DynaliteTables() {
	}

	/**
	 * A client for a local DynamoDB API.
	 * @param endpoint the API's address
	 * @return the client, to be closed by the caller
	 */
	public static DynamoDbClient client(URI endpoint) {
		return DynamoDbClient.builder()
			.endpointOverride(endpoint)
			.region(Region.US_EAST_1)
			.credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create(ACCESS_KEY, ACCESS_KEY)))
			.build();
	}

	/**
	 * Creates a chat table and waits until it is active.
	 * @param dynamo the client
	 * @param name the table's name
	 * @throws InterruptedException when interrupted while waiting
	 */
	public static void create(DynamoDbClient dynamo, String name) throws InterruptedException {
		dynamo.createTable(MessageTable.createTableRequest(name));
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (dynamo.describeTable((describe) -> describe.tableName(name))
			.table()
			.tableStatus() != TableStatus.ACTIVE) {
			if (System.nanoTime() > deadline) {
				throw new IllegalStateException("Table " + name + " did not become active within 20 s");
			}
			Thread.sleep(50);
		}
	}

}
