package dev.skyfold.kernel;

/**
 * The names of the meters every host records for each function invocation, tagged (or, in
 * CloudWatch, dimensioned) with {@value #FUNCTION_TAG}, so that a dashboard or an alarm
 * reads the same on Lambda, on Azure and in the local app. The cores name their own
 * business meters beside the code that counts them.
 */
public final class FunctionMetrics {

	/** Invocations, counted whatever their outcome. */
	public static final String INVOCATIONS = "skyfold.function.invocations";

	/** Invocations that ended in an error. */
	public static final String ERRORS = "skyfold.function.errors";

	/** How long invocations took. */
	public static final String DURATION = "skyfold.function.duration";

	/** Invocations that were the first of their process, which paid for its start. */
	public static final String COLD_STARTS = "skyfold.function.cold.starts";

	/** The tag naming the function. */
	public static final String FUNCTION_TAG = "function";

	private FunctionMetrics() {
	}

}
