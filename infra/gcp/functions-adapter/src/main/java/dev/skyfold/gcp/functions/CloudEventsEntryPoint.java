package dev.skyfold.gcp.functions;

import com.google.cloud.functions.CloudEventsFunction;
import io.cloudevents.CloudEvent;

/**
 * The entry point of every Skyfold event function on Google Cloud
 * ({@code --entry-point=dev.skyfold.gcp.functions.CloudEventsEntryPoint}): the Functions
 * Framework creates it, and it hands each CloudEvent to the {@code CloudEventsFunction}
 * handler of the function {@value SpringFunctions#DEFINITION} names.
 */
public class CloudEventsEntryPoint implements CloudEventsFunction {

	private final CloudEventsFunction handler = SpringFunctions.handler(CloudEventsFunction.class);

	@Override
	public void accept(CloudEvent event) throws Exception {
		this.handler.accept(event);
	}

}
