package dev.skyfold.chat.azure.functions;

import java.util.UUID;
import java.util.logging.Logger;

import com.microsoft.azure.functions.ExecutionContext;

/**
 * The invocation context the worker passes to a function: its name and a fresh invocation
 * id.
 *
 * @param functionName the function's name
 * @param invocationId the invocation's id
 */
public record TestExecutionContext(String functionName, String invocationId) implements ExecutionContext {

	/**
	 * A context for one invocation of a function.
	 * @param functionName the function's name
	 * @return the context
	 */
	public static TestExecutionContext of(String functionName) {
		return new TestExecutionContext(functionName, UUID.randomUUID().toString());
	}

	@Override
	public Logger getLogger() {
		return Logger.getLogger("Function." + this.functionName);
	}

	@Override
	public String getInvocationId() {
		return this.invocationId;
	}

	@Override
	public String getFunctionName() {
		return this.functionName;
	}

}
