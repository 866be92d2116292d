package dev.skyfold.aws.lambda.priming;

import com.amazonaws.services.lambda.runtime.ClientContext;
import com.amazonaws.services.lambda.runtime.CognitoIdentity;
import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.LambdaLogger;
import org.jspecify.annotations.Nullable;

/**
 * The Lambda context of a priming invocation: a minute to run, and a logger that drops
 * what it is given.
 */
final class PrimingContext implements Context {

	private static final LambdaLogger DISCARD = new LambdaLogger() {

		@Override
		public void log(String message) {
		}

		@Override
		public void log(byte[] message) {
		}

	};

	private final String function;

	PrimingContext(String function) {
		this.function = function;
	}

	@Override
	public String getAwsRequestId() {
		return "skyfold-priming";
	}

	@Override
	public String getLogGroupName() {
		return "";
	}

	@Override
	public String getLogStreamName() {
		return "";
	}

	@Override
	public String getFunctionName() {
		return this.function;
	}

	@Override
	public String getFunctionVersion() {
		return "$LATEST";
	}

	@Override
	public String getInvokedFunctionArn() {
		return "arn:aws:lambda:us-east-1:000000000000:function:" + this.function;
	}

	@Override
	public @Nullable CognitoIdentity getIdentity() {
		return null;
	}

	@Override
	public @Nullable ClientContext getClientContext() {
		return null;
	}

	@Override
	public int getRemainingTimeInMillis() {
		return 60_000;
	}

	@Override
	public int getMemoryLimitInMB() {
		return 512;
	}

	@Override
	public LambdaLogger getLogger() {
		return DISCARD;
	}

}
