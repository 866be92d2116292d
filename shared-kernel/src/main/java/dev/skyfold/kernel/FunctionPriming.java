package dev.skyfold.kernel;

/**
 * One function's path run on built-in sample input, with in-process stand-ins for every
 * service the function calls, so that what its first real invocation would load, link and
 * compile is done before: before a snapshot of the process (Lambda SnapStart), or at
 * initialization when a host is asked to. A priming reads and writes nothing outside the
 * process and leaves no trace: no object written, no message stored, nothing counted.
 * Platform modules contribute one bean per function; the host runs those of the functions
 * it serves.
 */
public interface FunctionPriming {

	/**
	 * The function this primes, by its contract name, such as {@code resizeImage}.
	 * @return the function's name
	 */
	String function();

	/**
	 * Runs the function's path on sample input.
	 * @param invoker runs a function as the host's handler would, from the event's JSON
	 * to the answer's
	 * @throws Exception when the path failed, or did not do what the sample asked
	 */
	void prime(Invoker invoker) throws Exception;

	/**
	 * Runs a function as the host's handler runs the real one: the event's JSON read,
	 * converted to the function's input type, the function applied, and its answer
	 * written as JSON.
	 */
	@FunctionalInterface
	interface Invoker {

		/**
		 * Invokes a stand-in of the real function.
		 * @param function a function of the same input and output types as the real one,
		 * wired to in-process stand-ins
		 * @param event the event's JSON, as the platform would pass it
		 * @return the answer's JSON
		 */
		String invoke(Object function, byte[] event);

	}

}
