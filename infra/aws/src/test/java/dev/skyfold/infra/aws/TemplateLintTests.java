package dev.skyfold.infra.aws;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Runs CloudFormation linters over {@code template.yaml}. AWS's cfn-lint transforms the
 * SAM template as CloudFormation will and must find nothing, informational checks
 * included. The npm cfn-lint pinned in {@code package.json} knows SAM and CloudFormation
 * as of March 2019: it must find nothing but the listed properties and types that came
 * later, and still checks every reference, attribute, property name and type it knows.
 */
class TemplateLintTests {

	/** Which findings of the npm linter are the template being newer than the linter. */
	private static final List<Finding> NEWER_THAN_THE_NPM_LINTER = newerThanTheNpmLinter();

	@TempDir
	Path temporary;

	@Test
	void passesAwsCfnLintIncludingInformationalChecks() {
		Linter.Result result = Linter.aws()
			.run(List.of("--include-checks", "I", "--format", "parseable", "--",
					CloudFormationTemplate.path().toString()));
		assertThat(result.exitCode()).as("cfn-lint exit code; it printed:%n%s", result.output()).isZero();
		assertThat(result.output()).isBlank();
	}

	@Test
	void awsCfnLintRejectsAResizerPolicyThatMakesTheBucketNotificationCircular() throws IOException {
		Path broken = copyWith("arn:${AWS::Partition}:s3:::${ImageBucketName}/uploads/*",
				"${ImageBucket.Arn}/uploads/*");
		Linter.Result result = Linter.aws().run(List.of("--format", "parseable", "--", broken.toString()));
		assertThat(result.exitCode()).as("cfn-lint exit code; it printed:%n%s", result.output()).isNotZero();
		assertThat(result.output()).contains(":E3004:Circular Dependencies for resource ImageBucket");
	}

	@Test
	void passesNpmCfnLintSaveForWhatIsNewerThanItsSpecifications() {
		Linter.Result result = Linter.npm().run(List.of("validate", CloudFormationTemplate.path().toString()));
		List<Finding> findings = findings(result);
		assertThat(findings)
			.as("findings of the npm cfn-lint other than the known gaps; it printed:%n%s", result.output())
			.filteredOn((finding) -> NEWER_THAN_THE_NPM_LINTER.stream().noneMatch(finding::isCoveredBy))
			.isEmpty();
		assertThat(NEWER_THAN_THE_NPM_LINTER)
			.as("known gaps that the npm cfn-lint no longer reports (drop them); it printed:%n%s", result.output())
			.filteredOn((gap) -> findings.stream().noneMatch((finding) -> finding.isCoveredBy(gap)))
			.isEmpty();
	}

	@Test
	void npmCfnLintRejectsAReferenceToAMissingParameter() throws IOException {
		Path broken = copyWith("SKYFOLD_CHAT_FCM_PROJECT_ID: !Ref FcmProjectId",
				"SKYFOLD_CHAT_FCM_PROJECT_ID: !Ref FcmProject");
		Linter.Result result = Linter.npm().run(List.of("validate", broken.toString()));
		assertThat(result.exitCode()).isNotZero();
		assertThat(findings(result)).contains(new Finding("crit",
				"Resources > BroadcastMessageFunction > Properties > Environment > Variables > SKYFOLD_CHAT_FCM_PROJECT_ID",
				"Referenced value FcmProject does not exist"));
	}

	private Path copyWith(String original, String replacement) throws IOException {
		String yaml = Files.readString(CloudFormationTemplate.path());
		assertThat(yaml).contains(original);
		Path copy = this.temporary.resolve("template.yaml");
		Files.writeString(copy, yaml.replace(original, replacement));
		return copy;
	}

	/**
	 * The npm linter's findings, from output such as {@code 2 crit}, then per finding
	 * {@code Resource: ...}, {@code Message: ...} and {@code Documentation: ...}.
	 */
	private static List<Finding> findings(Linter.Result result) {
		assertThat(result.output()).as("npm cfn-lint output").containsPattern("(?m)^\\d+ crit$");
		List<Finding> findings = new ArrayList<>();
		Matcher matcher = Pattern.compile("(?m)^(?:(\\d+) (infos|warn|crit)|Resource: (.*)\\R+Message: (.*))$")
			.matcher(result.output());
		String level = "";
		while (matcher.find()) {
			if (matcher.group(2) != null) {
				level = matcher.group(2);
			}
			else {
				findings.add(new Finding(level, matcher.group(3).strip(), matcher.group(4).strip()));
			}
		}
		return findings;
	}

	private static List<Finding> newerThanTheNpmLinter() {
		List<Finding> gaps = new ArrayList<>();
		// Lambda on Graviton (2021) and SnapStart (2022).
		gaps.add(crit("Globals > Function", "Invalid or unsupported SAM Globals property name: Architectures"));
		gaps.add(crit("Globals > Function > Architectures > 0", "Intrinsic function Ref is not supported here"));
		gaps.add(crit("Globals > Function", "Invalid or unsupported SAM Globals property name: SnapStart"));
		// SAM's HTTP API (December 2019); the linter reads its events as REST API events.
		gaps.add(crit("Resources > ChatApi", "Resource ChatApi has an invalid Type of AWS::Serverless::HttpApi."));
		for (String route : List.of("PostMessageFunction > Properties > Events > Post",
				"MessageHistoryFunction > Properties > Events > History")) {
			for (String property : List.of("ApiId", "PayloadFormatVersion", "Auth")) {
				gaps.add(crit("Resources > " + route + " > Properties > " + property,
						property + " is not a valid property of AWS::Serverless::Function.ApiEvent"));
			}
		}
		// Lambda's advanced logging controls (2023).
		for (String function : TemplateTests.FUNCTIONS) {
			gaps.add(crit("Resources > " + function + " > Properties > LoggingConfig",
					"LoggingConfig is not a valid property of AWS::Serverless::Function"));
		}
		// Its SAM schema takes an S3 filter's Rules for an object; SAM and S3 take a
		// list.
		gaps.add(crit(
				"Resources > ResizeImageFunction > Properties > Events > Upload > Properties > Filter > S3Key > Rules",
				"Expecting a JSON object, got ["));
		// Stream event source settings (November 2019 to 2021); it reads DynamoDB events
		// as Kinesis events.
		for (String property : List.of("FilterCriteria", "FunctionResponseTypes", "BisectBatchOnFunctionError",
				"MaximumRetryAttempts", "MaximumRecordAgeInSeconds", "DestinationConfig")) {
			gaps.add(crit(
					"Resources > BroadcastMessageFunction > Properties > Events > Stored > Properties > " + property,
					property + " is not a valid property of AWS::Serverless::Function.KinesisEvent"));
		}
		// Destinations and limits of asynchronous invocations (November 2019).
		gaps.add(crit("Resources > ResizeImageFunction > Properties > EventInvokeConfig",
				"EventInvokeConfig is not a valid property of AWS::Serverless::Function"));
		// EventBridge Scheduler (November 2022): it reads a ScheduleV2 event as an
		// EventBridge rule's.
		String nightly = "Resources > ReconcileThumbnailsFunction > Properties > Events > Nightly > Properties";
		gaps.add(crit(nightly, "Required property Schedule missing for type AWS::Serverless::Function.ScheduleEvent"));
		for (String property : List.of("ScheduleExpression", "RetryPolicy")) {
			gaps.add(crit(nightly + " > " + property,
					property + " is not a valid property of AWS::Serverless::Function.ScheduleEvent"));
		}
		// SQS-managed encryption at rest (2021).
		for (String queue : List.of("ResizeFailureQueue", "BroadcastFailureQueue")) {
			gaps.add(crit("Resources > " + queue + " > Properties > SqsManagedSseEnabled",
					"SqsManagedSseEnabled is not a valid property of AWS::SQS::Queue"));
		}
		return List.copyOf(gaps);
	}

	private static Finding crit(String resource, String messageStart) {
		return new Finding("crit", resource, messageStart);
	}

	/** One finding of the npm linter: its level, where, and what. */
	record Finding(String level, String resource, String message) {

		boolean isCoveredBy(Finding gap) {
			return this.level.equals(gap.level) && this.resource.equals(gap.resource)
					&& this.message.startsWith(gap.message);
		}

	}

}
