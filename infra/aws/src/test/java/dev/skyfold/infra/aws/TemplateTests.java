package dev.skyfold.infra.aws;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import static dev.skyfold.infra.aws.CloudFormationTemplate.getAtt;
import static dev.skyfold.infra.aws.CloudFormationTemplate.list;
import static dev.skyfold.infra.aws.CloudFormationTemplate.map;
import static dev.skyfold.infra.aws.CloudFormationTemplate.ref;
import static dev.skyfold.infra.aws.CloudFormationTemplate.sub;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Checks what {@code template.yaml} deploys: each function as the deployment contract
 * names it, its trigger, its limits and exactly the permissions it needs.
 */
class TemplateTests {

	private static final String HANDLER = "dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest";

	private static final String RESIZE_IMAGE = "ResizeImageFunction";

	private static final String POST_MESSAGE = "PostMessageFunction";

	private static final String MESSAGE_HISTORY = "MessageHistoryFunction";

	private static final String BROADCAST_MESSAGE = "BroadcastMessageFunction";

	private static final String RECONCILE_THUMBNAILS = "ReconcileThumbnailsFunction";

	static final List<String> FUNCTIONS = List.of(RESIZE_IMAGE, RECONCILE_THUMBNAILS, POST_MESSAGE, MESSAGE_HISTORY,
			BROADCAST_MESSAGE);

	private static final String UPLOADS = "arn:${AWS::Partition}:s3:::${ImageBucketName}/uploads/*";

	private static final String BUCKET = "arn:${AWS::Partition}:s3:::${ImageBucketName}";

	private static final String THUMBNAILS = "arn:${AWS::Partition}:s3:::${ImageBucketName}/resized/*";

	/**
	 * The only wildcards an Allow may hold: objects under one prefix of a named bucket...
	 */
	private static final Pattern OBJECTS_UNDER_A_PREFIX = Pattern
		.compile("arn:\\$\\{AWS::Partition}:s3:::\\$\\{\\w+}/[a-z0-9][a-z0-9-]*/\\*");

	/** ... and the log streams (named by Lambda) of one named log group. */
	private static final Pattern STREAMS_OF_A_LOG_GROUP = Pattern.compile(
			"arn:\\$\\{AWS::Partition}:logs:\\$\\{AWS::Region}:\\$\\{AWS::AccountId}:log-group:\\$\\{\\w+}:log-stream:\\*");

	private static final String XRAY_WRITE_POLICY = "arn:${AWS::Partition}:iam::aws:policy/AWSXrayWriteOnlyAccess";

	/** Each function's timeout, in seconds. */
	private static final Map<String, Integer> TIMEOUTS = Map.of(RESIZE_IMAGE, 60, RECONCILE_THUMBNAILS, 300,
			POST_MESSAGE, 15, MESSAGE_HISTORY, 15, BROADCAST_MESSAGE, 30);

	private static final List<String> FAILURE_QUEUES = List.of("ResizeFailureQueue", "BroadcastFailureQueue");

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private final CloudFormationTemplate template = CloudFormationTemplate.load();

	@Test
	void isASamTemplate() {
		assertThat(this.template.root()).containsEntry("AWSTemplateFormatVersion", "2010-09-09")
			.containsEntry("Transform", "AWS::Serverless-2016-10-31");
	}

	@Test
	void readsShortFormTagsAsTheirLongForm() {
		CloudFormationTemplate parsed = CloudFormationTemplate
			.parse("Resources:\n  A:\n    Type: T\n    Properties:\n      X: !GetAtt B.StreamArn\n"
					+ "      Y: !If [C, !Ref AWS::NoValue, !Sub '${B}']\n");
		assertThat(parsed.properties("A")).containsEntry("X", getAtt("B", "StreamArn"))
			.containsEntry("Y", Map.of("Fn::If", List.of("C", ref("AWS::NoValue"), sub("${B}"))));
		assertThatExceptionOfType(RuntimeException.class)
			.isThrownBy(() -> CloudFormationTemplate.parse("Resources:\n  A: !Reff B\n"))
			.withMessageContaining("!Reff");
	}

	@Test
	void deploysOneFunctionPerContractNameWithThatDefinition() {
		assertThat(this.template.resourcesOfType(CloudFormationTemplate.SAM_FUNCTION))
			.containsExactlyInAnyOrderElementsOf(FUNCTIONS);
		for (String function : FUNCTIONS) {
			String contractName = Character.toLowerCase(function.charAt(0))
					+ function.substring(1, function.length() - "Function".length());
			assertThat(environment(function)).as(function)
				.containsEntry("SPRING_CLOUD_FUNCTION_DEFINITION", contractName);
		}
	}

	@Test
	void runsEveryFunctionThroughSpringCloudFunctionOnAJavaRuntime() {
		for (String function : FUNCTIONS) {
			Map<String, Object> properties = this.template.functionProperties(function);
			assertThat(properties).as(function).containsEntry("Handler", HANDLER);
			assertThat(properties.get("Runtime")).as(function).isIn("java17", "java21");
			assertThat(list(properties.get("Architectures"), function + ".Architectures")).hasSize(1);
		}
	}

	@Test
	void sizesEachFunctionForItsWork() {
		assertThat(this.template.functionProperties(RESIZE_IMAGE)).containsEntry("MemorySize", 1024)
			.containsEntry("Timeout", 60);
		// API Gateway gives up on an integration after 30 seconds.
		for (String function : List.of(POST_MESSAGE, MESSAGE_HISTORY)) {
			assertThat(this.template.functionProperties(function)).as(function)
				.containsEntry("MemorySize", 512)
				.containsEntry("Timeout", 15);
		}
		assertThat(this.template.functionProperties(BROADCAST_MESSAGE)).containsEntry("MemorySize", 512)
			.containsEntry("Timeout", 30);
		assertThat(this.template.functionProperties(RECONCILE_THUMBNAILS)).containsEntry("MemorySize", 1024)
			.containsEntry("Timeout", 300);
	}

	@Test
	void reconcilesTheThumbnailsOnAScheduleOneRunAtATimeWithinItsTimeout() {
		Map<String, Object> events = map(this.template.properties(RECONCILE_THUMBNAILS).get("Events"), "Events");
		Map<String, Object> schedule = map(events.values().iterator().next(), "the reconcile's event");
		assertThat(events).hasSize(1);
		// EventBridge Scheduler, as the issue asks, rather than an EventBridge rule.
		assertThat(schedule).containsEntry("Type", "ScheduleV2");
		assertThat(map(schedule.get("Properties"), "schedule")).containsEntry("ScheduleExpression",
				ref("ReconcileSchedule"));
		assertThat(map(this.template.section("Parameters").get("ReconcileSchedule"), "ReconcileSchedule"))
			.containsEntry("Default", "cron(30 3 * * ? *)");
		assertThat(map(this.template.section("Parameters").get("ReconcileThumbnailsConcurrency"), "concurrency"))
			.containsEntry("Default", 1);
		Map<String, Object> environment = environment(RECONCILE_THUMBNAILS);
		assertThat(environment).containsEntry("SKYFOLD_IMAGERESIZER_RECONCILE_BUCKET", ref("ImageBucketName"));
		// The run stops, keeps its continuation and answers well before Lambda ends it.
		Duration budget = Duration.parse("PT" + ((String) environment.get("SKYFOLD_IMAGERESIZER_RECONCILE_TIMEBUDGET"))
			.toUpperCase(java.util.Locale.ROOT));
		assertThat(budget).isLessThanOrEqualTo(Duration.ofSeconds(TIMEOUTS.get(RECONCILE_THUMBNAILS)).minusSeconds(30));
	}

	@Test
	void snapStartsEveryPublishedVersionBehindTheLiveAlias() {
		for (String function : FUNCTIONS) {
			assertThat(this.template.functionProperties(function)).as(function)
				.containsEntry("AutoPublishAlias", "live")
				.containsEntry("SnapStart", Map.of("ApplyOn", "PublishedVersions"));
		}
	}

	@Test
	void runsEveryFunctionOnJava21BehindTheSkyfoldHandler() {
		for (String function : FUNCTIONS) {
			// SnapStart and the priming before its snapshot: the handler's adapter
			// registers it.
			assertThat(this.template.functionProperties(function)).as(function)
				.containsEntry("Runtime", "java21")
				.containsEntry("Handler", "dev.skyfold.aws.lambda.SkyfoldFunctionInvoker::handleRequest");
			assertThat(environment(function)).as(function)
				.doesNotContainKey("SKYFOLD_LAMBDA_PRIMING_ENABLED")
				.doesNotContainKey("SKYFOLD_LAMBDA_PRIMING_ONINIT");
		}
	}

	@Test
	void startsTheResizerFromSpringAotsBuildTimeBeanDefinitionsAndTheChatWithout() {
		for (String function : List.of(RESIZE_IMAGE, RECONCILE_THUMBNAILS)) {
			assertThat(environment(function)).as(function)
				.containsEntry("JAVA_TOOL_OPTIONS", "-Dspring.aot.enabled=true");
		}
		// One chat jar serves three functions whose beans differ by their settings
		// (table,
		// FCM), which AOT would fix at build time.
		for (String function : List.of(POST_MESSAGE, MESSAGE_HISTORY, BROADCAST_MESSAGE)) {
			assertThat(environment(function)).as(function).doesNotContainKey("JAVA_TOOL_OPTIONS");
		}
	}

	@Test
	void reservesConcurrencyForEachFunctionUnlessTheParameterIsMinusOne() {
		Map<String, Object> parameters = this.template.section("Parameters");
		Map<String, Object> conditions = this.template.section("Conditions");
		for (String function : FUNCTIONS) {
			String parameter = function.replace("Function", "Concurrency");
			String condition = function.replace("Function", "Unreserved");
			assertThat(this.template.functionProperties(function).get("ReservedConcurrentExecutions")).as(function)
				.isEqualTo(Map.of("Fn::If", List.of(condition, ref("AWS::NoValue"), ref(parameter))));
			assertThat(conditions.get(condition)).isEqualTo(Map.of("Fn::Equals", List.of(ref(parameter), -1)));
			Map<String, Object> declared = map(parameters.get(parameter), parameter);
			assertThat(declared).containsEntry("Type", "Number").containsEntry("MinValue", -1);
			assertThat((Integer) declared.get("Default")).as(parameter).isPositive();
		}
	}

	@Test
	void logsJsonIntoEachFunctionsOwnLogGroup() {
		Set<Object> groups = new TreeSet<>();
		for (String function : FUNCTIONS) {
			Map<String, Object> logging = map(this.template.functionProperties(function).get("LoggingConfig"),
					function + ".LoggingConfig");
			assertThat(logging).as(function).containsEntry("LogFormat", "JSON");
			String group = (String) map(logging.get("LogGroup"), function + ".LoggingConfig.LogGroup").get("Ref");
			assertThat(this.template.type(group)).isEqualTo("AWS::Logs::LogGroup");
			assertThat(this.template.properties(group)).containsKey("RetentionInDays");
			groups.add(group);
		}
		assertThat(groups).hasSize(FUNCTIONS.size());
	}

	@Test
	void followsOnlyWhatHappensUnderUploads() {
		Map<String, Object> events = map(this.template.properties(RESIZE_IMAGE).get("Events"), "Events");
		assertThat(events).hasSize(1);
		Map<String, Object> event = map(events.values().iterator().next(), "the resizer's event");
		assertThat(event).containsEntry("Type", "S3");
		Map<String, Object> properties = map(event.get("Properties"), "S3 event");
		assertThat(properties).containsEntry("Bucket", ref("ImageBucket"))
			.containsEntry("Events", List.of("s3:ObjectCreated:*", "s3:ObjectRemoved:*"))
			.containsEntry("Filter",
					Map.of("S3Key", Map.of("Rules", List.of(Map.of("Name", "prefix", "Value", "uploads/")))));
		assertThat(this.template.type("ImageBucket")).isEqualTo("AWS::S3::Bucket");
		// Thumbnails go under a prefix outside the filter: they never trigger a resize.
		assertThat(environment(RESIZE_IMAGE)).containsEntry("SKYFOLD_IMAGERESIZER_OUTPUTPREFIX", "resized/");
	}

	@Test
	void keepsTheImageBucketPrivateEncryptedAndTlsOnly() {
		Map<String, Object> bucket = this.template.properties("ImageBucket");
		assertThat(bucket).containsEntry("BucketName", ref("ImageBucketName"))
			.containsEntry("PublicAccessBlockConfiguration",
					Map.of("BlockPublicAcls", true, "BlockPublicPolicy", true, "IgnorePublicAcls", true,
							"RestrictPublicBuckets", true))
			.containsKey("BucketEncryption");
		Map<String, Object> policy = this.template.properties("ImageBucketPolicy");
		assertThat(policy).containsEntry("Bucket", ref("ImageBucket"));
		List<Object> statements = list(map(policy.get("PolicyDocument"), "PolicyDocument").get("Statement"),
				"Statement");
		assertThat(statements).singleElement()
			.satisfies((statement) -> assertThat(map(statement, "Statement")).containsEntry("Effect", "Deny")
				.containsEntry("Condition", Map.of("Bool", Map.of("aws:SecureTransport", "false"))));
	}

	@Test
	void keepsMessagesInAPayPerRequestTableWithANewImageStream() {
		assertThat(this.template.type("MessageTable")).isEqualTo("AWS::DynamoDB::Table");
		Map<String, Object> table = this.template.properties("MessageTable");
		assertThat(table).containsEntry("BillingMode", "PAY_PER_REQUEST")
			.containsEntry("StreamSpecification", Map.of("StreamViewType", "NEW_IMAGE"))
			.containsEntry("PointInTimeRecoverySpecification", Map.of("PointInTimeRecoveryEnabled", true))
			.containsKeys("KeySchema", "AttributeDefinitions", "LocalSecondaryIndexes");
		for (String function : List.of(POST_MESSAGE, MESSAGE_HISTORY)) {
			assertThat(environment(function)).as(function).containsEntry("SKYFOLD_CHAT_AWS_TABLE", ref("MessageTable"));
		}
		// broadcastMessage reads the stream, never the table.
		assertThat(environment(BROADCAST_MESSAGE)).doesNotContainKey("SKYFOLD_CHAT_AWS_TABLE");
	}

	@Test
	void requiresAJwtFromTheConfiguredIssuerToPostOrReadMessages() {
		assertThat(this.template.type("ChatApi")).isEqualTo("AWS::Serverless::HttpApi");
		Map<String, Object> auth = map(this.template.properties("ChatApi").get("Auth"), "ChatApi.Auth");
		String authorizer = (String) auth.get("DefaultAuthorizer");
		assertThat(map(auth.get("Authorizers"), "Authorizers")).containsOnlyKeys(authorizer)
			.containsEntry(authorizer, Map.of("IdentitySource", "$request.header.Authorization", "JwtConfiguration",
					Map.of("issuer", ref("JwtIssuer"), "audience", ref("JwtAudience"))));
		assertThat(route(POST_MESSAGE, authorizer, "skyfold/chat.post")).containsEntry("Method", "POST");
		assertThat(route(MESSAGE_HISTORY, authorizer, "skyfold/chat.read")).containsEntry("Method", "GET");
	}

	@Test
	void letsTheFunctionsCheckEachCallersRoleFromTheConfiguredClaim() {
		assertThat(map(this.template.section("Parameters").get("RolesClaim"), "RolesClaim")).containsEntry("Default",
				"roles");
		for (String function : List.of(POST_MESSAGE, MESSAGE_HISTORY)) {
			assertThat(environment(function)).as(function)
				.containsEntry("SKYFOLD_SECURITY_ROLES_CLAIM", ref("RolesClaim"));
		}
	}

	@Test
	void throttlesEveryRouteOfTheChatApi() {
		assertThat(map(this.template.properties("ChatApi").get("DefaultRouteSettings"), "DefaultRouteSettings"))
			.containsEntry("ThrottlingBurstLimit", 100)
			.containsEntry("ThrottlingRateLimit", 50);
	}

	/**
	 * The function's one HTTP API event, checked for what every chat route shares and for
	 * the one scope the route asks of a token.
	 */
	private Map<String, Object> route(String function, String authorizer, String scope) {
		Map<String, Object> events = map(this.template.properties(function).get("Events"), function + ".Events");
		assertThat(events).as(function).hasSize(1);
		Map<String, Object> event = map(events.values().iterator().next(), function + "'s event");
		assertThat(event).containsEntry("Type", "HttpApi");
		Map<String, Object> route = map(event.get("Properties"), function + "'s HttpApi event");
		assertThat(route).as(function)
			.containsEntry("ApiId", ref("ChatApi"))
			.containsEntry("Path", "/messages")
			.containsEntry("PayloadFormatVersion", "2.0")
			.containsEntry("Auth", Map.of("Authorizer", authorizer, "AuthorizationScopes", List.of(scope)));
		return route;
	}

	@Test
	void broadcastsNewMessagesFromTheStreamReportingEachFailedRecord() {
		Map<String, Object> events = map(this.template.properties(BROADCAST_MESSAGE).get("Events"), "Events");
		assertThat(events).hasSize(1);
		Map<String, Object> event = map(events.values().iterator().next(), "broadcastMessage's event");
		assertThat(event).containsEntry("Type", "DynamoDB");
		Map<String, Object> source = map(event.get("Properties"), "DynamoDB event");
		assertThat(source).containsEntry("Stream", getAtt("MessageTable", "StreamArn"))
			.containsEntry("StartingPosition", "LATEST")
			.containsEntry("FunctionResponseTypes", List.of("ReportBatchItemFailures"))
			.containsEntry("BisectBatchOnFunctionError", true)
			.containsEntry("FilterCriteria",
					Map.of("Filters", List.of(Map.of("Pattern", "{\"eventName\": [\"INSERT\"]}"))));
		// Without a limit, Lambda retries a failing batch until its records expire.
		assertThat((Integer) source.get("MaximumRetryAttempts")).isBetween(0, 10);
		assertThat((Integer) source.get("MaximumRecordAgeInSeconds")).isBetween(60, 3600);
		Map<String, Object> onFailure = map(map(source.get("DestinationConfig"), "DestinationConfig").get("OnFailure"),
				"OnFailure");
		assertThat(onFailure).containsEntry("Type", "SQS")
			.containsEntry("Destination", getAtt("BroadcastFailureQueue", "Arn"));
		assertThat(this.template.type("BroadcastFailureQueue")).isEqualTo("AWS::SQS::Queue");
	}

	@Test
	void pushesToFcmOnlyFromTheBroadcastWithCredentialsFromSecretsManager() {
		assertThat(environment(BROADCAST_MESSAGE)).containsEntry("SKYFOLD_CHAT_FCM_ENABLED", "true")
			.containsEntry("SKYFOLD_CHAT_FCM_PROJECT_ID", ref("FcmProjectId"))
			.containsEntry("SKYFOLD_CHAT_AWS_FCM_CREDENTIALS_SECRET", ref("FcmCredentialsSecretArn"));
		// The stream broadcasts every stored message once; postMessage must not as well.
		for (String function : List.of(POST_MESSAGE, MESSAGE_HISTORY)) {
			assertThat(environment(function)).as(function)
				.containsEntry("SKYFOLD_CHAT_FCM_ENABLED", "false")
				.doesNotContainKey("SKYFOLD_CHAT_AWS_FCM_CREDENTIALS_SECRET");
		}
		assertThat(map(this.template.section("Parameters").get("FcmCredentialsSecretArn"), "FcmCredentialsSecretArn"))
			.containsKey("AllowedPattern");
	}

	@Test
	void givesEachFunctionItsOwnRoleSoSamAttachesNoManagedPolicy() {
		Set<String> roles = new TreeSet<>();
		for (String function : FUNCTIONS) {
			Map<String, Object> properties = this.template.functionProperties(function);
			String role = function.replace("Function", "Role");
			// With a Role of its own, SAM generates none, so it adds neither
			// AWSLambdaBasicExecutionRole nor an event source's managed policy: both
			// allow
			// Resource "*".
			assertThat(properties).as(function)
				.containsEntry("Role", getAtt(role, "Arn"))
				.doesNotContainKeys("Policies", "PermissionsBoundary");
			assertThat(this.template.type(role)).isEqualTo("AWS::IAM::Role");
			// The one managed policy: X-Ray takes trace segments on Resource "*" only.
			assertThat(this.template.properties(role))
				.containsEntry("ManagedPolicyArns", List.of(sub(XRAY_WRITE_POLICY)))
				.containsEntry("AssumeRolePolicyDocument",
						Map.of("Version", "2012-10-17", "Statement", List.of(Map.of("Effect", "Allow", "Principal",
								Map.of("Service", "lambda.amazonaws.com"), "Action", "sts:AssumeRole"))));
			roles.add(role);
		}
		Set<String> iamResources = new TreeSet<>();
		this.template.resources().forEach((id, resource) -> {
			if (String.valueOf(map(resource, id).get("Type")).startsWith("AWS::IAM::")) {
				iamResources.add(id);
			}
		});
		assertThat(iamResources).isEqualTo(roles);
	}

	@Test
	void allowsOnlyNamedActionsOnNamedResources() {
		List<Map<String, Object>> allows = new ArrayList<>();
		for (Map<String, Object> statement : statements(this.template.root())) {
			assertThat(statement).doesNotContainKeys("NotAction", "NotResource", "NotPrincipal");
			if ("Allow".equals(statement.get("Effect"))) {
				allows.add(statement);
			}
		}
		assertThat(allows).isNotEmpty();
		for (Map<String, Object> allow : allows) {
			assertThat(strings(allow.get("Action"))).as("%s", allow)
				.allSatisfy((action) -> assertThat(action).matches("[a-z0-9-]+:[A-Za-z]+"));
			assertThat(resources(allow)).as("%s", allow).isNotEmpty().allMatch(TemplateTests::isSpecific);
		}
	}

	@Test
	void recognisesWildcardResources() {
		assertThat(isSpecific("*")).isFalse();
		assertThat(isSpecific("arn:${AWS::Partition}:s3:::${ImageBucketName}/*")).isFalse();
		assertThat(isSpecific("arn:${AWS::Partition}:s3:::*/uploads/*")).isFalse();
		assertThat(isSpecific("${MessageTable.Arn}/index/*")).isFalse();
		assertThat(isSpecific("arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:*")).isFalse();
		assertThat(isSpecific("arn:${AWS::Partition}:dynamodb:${AWS::Region}:${AWS::AccountId}:table/*")).isFalse();
		assertThat(isSpecific(UPLOADS)).isTrue();
		assertThat(isSpecific("${MessageTable.StreamArn}")).isTrue();
	}

	@Test
	void letsTheResizerReadUploadsAndWriteOnlyUnderResized() {
		assertThat(grants("ResizeImageRole")).isEqualTo(Map.of("s3:GetObject", Set.of(UPLOADS, THUMBNAILS),
				"s3:ListBucket", Set.of(BUCKET), "s3:PutObject", Set.of(THUMBNAILS), "s3:DeleteObject",
				Set.of(THUMBNAILS), "sqs:SendMessage", Set.of("${ResizeFailureQueue.Arn}"), "logs:CreateLogStream",
				Set.of(ownLogStreams("ResizeImageLogGroup")), "logs:PutLogEvents",
				Set.of(ownLogStreams("ResizeImageLogGroup"))));
		// Listing is limited to the uploads.
		assertThat(statements(this.template.properties("ResizeImageRole")))
			.filteredOn((statement) -> "s3:ListBucket".equals(statement.get("Action")))
			.singleElement()
			.extracting((statement) -> statement.get("Condition"))
			.isEqualTo(Map.of("StringLike", Map.of("s3:prefix", "uploads/*")));
	}

	@Test
	void letsTheReconcileListTheBucketReadUploadsAndManageOnlyThumbnails() {
		assertThat(grants("ReconcileThumbnailsRole")).isEqualTo(Map.of("s3:ListBucket", Set.of(BUCKET), "s3:GetObject",
				Set.of(UPLOADS, THUMBNAILS), "s3:PutObject", Set.of(THUMBNAILS), "s3:DeleteObject", Set.of(THUMBNAILS),
				"logs:CreateLogStream", Set.of(ownLogStreams("ReconcileThumbnailsLogGroup")), "logs:PutLogEvents",
				Set.of(ownLogStreams("ReconcileThumbnailsLogGroup"))));
	}

	@Test
	void letsPostMessagePutAndGetItemsOfTheMessageTableOnly() {
		Set<String> table = Set.of("${MessageTable.Arn}");
		assertThat(grants("PostMessageRole")).isEqualTo(Map.of("dynamodb:PutItem", table, "dynamodb:GetItem", table,
				"logs:CreateLogStream", Set.of(ownLogStreams("PostMessageLogGroup")), "logs:PutLogEvents",
				Set.of(ownLogStreams("PostMessageLogGroup"))));
	}

	@Test
	void letsMessageHistoryQueryTheTimeIndexOnly() {
		assertThat(grants("MessageHistoryRole"))
			.isEqualTo(Map.of("dynamodb:Query", Set.of("${MessageTable.Arn}/index/byTime"), "logs:CreateLogStream",
					Set.of(ownLogStreams("MessageHistoryLogGroup")), "logs:PutLogEvents",
					Set.of(ownLogStreams("MessageHistoryLogGroup"))));
	}

	@Test
	void letsBroadcastMessageReadOnlyTheStreamTheSecretAndItsFailureQueue() {
		Set<String> stream = Set.of("${MessageTable.StreamArn}");
		Map<String, Set<String>> expected = new TreeMap<>();
		List.of("DescribeStream", "GetRecords", "GetShardIterator", "ListStreams")
			.forEach((action) -> expected.put("dynamodb:" + action, stream));
		expected.put("secretsmanager:GetSecretValue", Set.of("${FcmCredentialsSecretArn}"));
		expected.put("sqs:SendMessage", Set.of("${BroadcastFailureQueue.Arn}"));
		expected.put("logs:CreateLogStream", Set.of(ownLogStreams("BroadcastMessageLogGroup")));
		expected.put("logs:PutLogEvents", Set.of(ownLogStreams("BroadcastMessageLogGroup")));
		assertThat(grants("BroadcastMessageRole")).isEqualTo(expected);
	}

	@Test
	void namesTheBucketInTheResizersPolicyWithoutDependingOnIt() {
		ResourceGraph graph = new ResourceGraph(this.template);
		assertThat(graph.cycle()).isEmpty();
		assertThat(graph.needs("ImageBucket")).contains(RESIZE_IMAGE);
		assertThat(graph.needs("ResizeImageRole")).doesNotContain("ImageBucket");
	}

	@Test
	void findsTheCycleOfAResizerPolicyThatReferencesTheBucket() {
		String yaml = read();
		assertThat(yaml).contains(UPLOADS);
		CloudFormationTemplate cyclic = CloudFormationTemplate
			.parse(yaml.replace(UPLOADS, "${ImageBucket.Arn}/uploads/*"));
		assertThat(new ResourceGraph(cyclic).cycle()).contains("ImageBucket", RESIZE_IMAGE, "ResizeImageRole");
	}

	@Test
	void tracesEveryFunctionWithXRay() {
		for (String function : FUNCTIONS) {
			assertThat(this.template.functionProperties(function)).as(function).containsEntry("Tracing", "Active");
		}
	}

	@Test
	void sendsUploadEventsThatFailForGoodToAQueueAfterBoundedRetries() {
		Map<String, Object> invoke = map(this.template.properties(RESIZE_IMAGE).get("EventInvokeConfig"),
				"EventInvokeConfig");
		assertThat((Integer) invoke.get("MaximumRetryAttempts")).isBetween(0, 2);
		assertThat((Integer) invoke.get("MaximumEventAgeInSeconds")).isBetween(60, 21600);
		Map<String, Object> onFailure = map(map(invoke.get("DestinationConfig"), "DestinationConfig").get("OnFailure"),
				"OnFailure");
		assertThat(onFailure).containsEntry("Type", "SQS")
			.containsEntry("Destination", getAtt("ResizeFailureQueue", "Arn"));
		for (String queue : FAILURE_QUEUES) {
			assertThat(this.template.type(queue)).isEqualTo("AWS::SQS::Queue");
			assertThat(this.template.properties(queue)).as(queue)
				.containsEntry("MessageRetentionPeriod", 1209600)
				.containsEntry("SqsManagedSseEnabled", true);
		}
	}

	@Test
	void alarmsOnEveryFunctionsErrorsThrottlesAndRunsNearItsTimeout() {
		for (String function : FUNCTIONS) {
			Map<String, Object> dimension = Map.of("Name", "FunctionName", "Value", ref(function));
			assertThat(alarm("AWS/Lambda", "Errors", dimension)).as(function)
				.containsEntry("Statistic", "Sum")
				.containsEntry("Threshold", 1);
			assertThat(alarm("AWS/Lambda", "Throttles", dimension)).as(function)
				.containsEntry("Statistic", "Sum")
				.containsEntry("Threshold", 1);
			assertThat(this.template.functionProperties(function)).containsEntry("Timeout", TIMEOUTS.get(function));
			assertThat(alarm("AWS/Lambda", "Duration", dimension)).as(function)
				.containsEntry("Statistic", "Maximum")
				.containsEntry("Threshold", TIMEOUTS.get(function) * 800);
		}
	}

	@Test
	void alarmsOnTheStreamsIteratorAgeAndOnEveryFailureQueue() {
		assertThat(alarm("AWS/Lambda", "IteratorAge", Map.of("Name", "FunctionName", "Value", ref(BROADCAST_MESSAGE))))
			.containsEntry("Statistic", "Maximum")
			.containsEntry("Threshold", 60000);
		assertThat(this.template.resourcesOfType("AWS::SQS::Queue"))
			.containsExactlyInAnyOrderElementsOf(FAILURE_QUEUES);
		for (String queue : FAILURE_QUEUES) {
			assertThat(alarm("AWS/SQS", "ApproximateNumberOfMessagesVisible",
					Map.of("Name", "QueueName", "Value", getAtt(queue, "QueueName"))))
				.as(queue)
				.containsEntry("Threshold", 1);
		}
	}

	@Test
	void sendsEveryAlarmToTheTopicGivenAsAParameterWhenItFiresAndClears() {
		List<String> alarms = this.template.resourcesOfType("AWS::CloudWatch::Alarm");
		assertThat(alarms).hasSize(FUNCTIONS.size() * 3 + 1 + FAILURE_QUEUES.size());
		for (String alarm : alarms) {
			assertThat(this.template.properties(alarm)).as(alarm)
				.containsEntry("AlarmActions", List.of(ref("AlarmTopicArn")))
				.containsEntry("OKActions", List.of(ref("AlarmTopicArn")))
				.containsEntry("ComparisonOperator", "GreaterThanOrEqualToThreshold")
				.containsEntry("TreatMissingData", "notBreaching")
				.containsKey("AlarmDescription");
		}
		assertThat(map(this.template.section("Parameters").get("AlarmTopicArn"), "AlarmTopicArn"))
			.containsEntry("Type", "String")
			.containsKey("AllowedPattern");
	}

	@Test
	void showsWhatTheAlarmsWatchOnADashboard() {
		assertThat(this.template.type("Dashboard")).isEqualTo("AWS::CloudWatch::Dashboard");
		String body = (String) map(this.template.properties("Dashboard").get("DashboardBody"), "DashboardBody")
			.get("Fn::Sub");
		JsonNode dashboard = JSON.readTree(body);
		List<String> metrics = new ArrayList<>();
		dashboard.path("widgets").forEach((widget) -> widget.path("properties").path("metrics").forEach((metric) -> {
			metrics.add(metric.get(1).asString() + " " + metric.get(3).asString());
		}));
		for (String function : FUNCTIONS) {
			for (String metric : List.of("Invocations", "Errors", "Throttles", "Duration")) {
				assertThat(metrics).contains(metric + " ${" + function + "}");
			}
		}
		assertThat(metrics).contains("IteratorAge ${" + BROADCAST_MESSAGE + "}");
		for (String queue : FAILURE_QUEUES) {
			assertThat(metrics).contains("ApproximateNumberOfMessagesVisible ${" + queue + ".QueueName}");
		}
	}

	@Test
	void outputsTheApiUrlTheBucketTheTableTheQueuesAndTheDashboard() {
		Map<String, Object> outputs = this.template.section("Outputs");
		assertThat(map(outputs.get("ChatApiUrl"), "ChatApiUrl")).containsEntry("Value",
				sub("https://${ChatApi}.execute-api.${AWS::Region}.${AWS::URLSuffix}"));
		assertThat(map(outputs.get("ImageBucketName"), "ImageBucketName")).containsEntry("Value", ref("ImageBucket"));
		assertThat(map(outputs.get("MessageTableName"), "MessageTableName")).containsEntry("Value",
				ref("MessageTable"));
		assertThat(map(outputs.get("ResizeFailureQueueUrl"), "ResizeFailureQueueUrl")).containsEntry("Value",
				ref("ResizeFailureQueue"));
		assertThat(map(outputs.get("DashboardName"), "DashboardName")).containsEntry("Value", ref("Dashboard"));
	}

	/** The one alarm on a metric with one dimension. */
	private Map<String, Object> alarm(String namespace, String metric, Map<String, Object> dimension) {
		List<Map<String, Object>> found = new ArrayList<>();
		for (String alarm : this.template.resourcesOfType("AWS::CloudWatch::Alarm")) {
			Map<String, Object> properties = this.template.properties(alarm);
			if (namespace.equals(properties.get("Namespace")) && metric.equals(properties.get("MetricName"))
					&& List.of(dimension).equals(properties.get("Dimensions"))) {
				found.add(properties);
			}
		}
		assertThat(found).as("alarms on %s %s %s", namespace, metric, dimension).hasSize(1);
		return found.get(0);
	}

	private Map<String, Object> environment(String function) {
		Map<String, Object> environment = map(this.template.functionProperties(function).get("Environment"),
				function + ".Environment");
		return map(environment.get("Variables"), function + ".Environment.Variables");
	}

	/**
	 * Every action the role's inline policies allow, with the resources it applies to.
	 */
	private Map<String, Set<String>> grants(String role) {
		Map<String, Set<String>> grants = new TreeMap<>();
		for (Map<String, Object> statement : statements(this.template.properties(role))) {
			assertThat(statement).containsEntry("Effect", "Allow");
			for (String action : strings(statement.get("Action"))) {
				grants.computeIfAbsent(action, (key) -> new TreeSet<>()).addAll(resources(statement));
			}
		}
		return grants;
	}

	private static String ownLogStreams(String logGroup) {
		return "arn:${AWS::Partition}:logs:${AWS::Region}:${AWS::AccountId}:log-group:${" + logGroup + "}:log-stream:*";
	}

	static boolean isSpecific(String resource) {
		return !resource.contains("*") || OBJECTS_UNDER_A_PREFIX.matcher(resource).matches()
				|| STREAMS_OF_A_LOG_GROUP.matcher(resource).matches();
	}

	/** The statements of every policy document (not trust policies) under the node. */
	private static List<Map<String, Object>> statements(Object node) {
		List<Map<String, Object>> statements = new ArrayList<>();
		if (node instanceof Map<?, ?> map) {
			map.forEach((key, value) -> {
				if ("PolicyDocument".equals(key)) {
					Object statement = map(value, "PolicyDocument").get("Statement");
					List<Object> all = (statement instanceof List) ? list(statement, "Statement") : List.of(statement);
					all.forEach((each) -> statements.add(map(each, "Statement")));
				}
				else if (!"AssumeRolePolicyDocument".equals(key)) {
					statements.addAll(statements(value));
				}
			});
		}
		else if (node instanceof List<?> list) {
			list.forEach((item) -> statements.addAll(statements(item)));
		}
		return statements;
	}

	private static List<String> resources(Map<String, Object> statement) {
		Object resource = statement.get("Resource");
		List<Object> all = (resource instanceof List) ? list(resource, "Resource") : List.of(resource);
		List<String> rendered = new ArrayList<>();
		all.forEach((each) -> rendered.add(render(each)));
		return rendered;
	}

	/**
	 * A resource as Fn::Sub would spell it: {@code ${Name}}, {@code ${Name.Attribute}}.
	 */
	private static String render(Object value) {
		if (value instanceof String text) {
			return text;
		}
		Map<String, Object> function = map(value, "Resource");
		if (function.get("Ref") instanceof String name) {
			return "${" + name + "}";
		}
		if (function.get("Fn::GetAtt") instanceof List<?> getAtt) {
			return "${" + getAtt.get(0) + "." + getAtt.get(1) + "}";
		}
		if (function.get("Fn::Sub") instanceof String text) {
			return text;
		}
		throw new AssertionError(
				"Name a policy's resource with Ref, GetAtt or a plain Sub so it can be checked: " + value);
	}

	private static List<String> strings(Object value) {
		List<String> strings = new ArrayList<>();
		((value instanceof List) ? list(value, "Action") : List.of(value))
			.forEach((each) -> strings.add((String) each));
		return strings;
	}

	private static String read() {
		try {
			return Files.readString(CloudFormationTemplate.path());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
