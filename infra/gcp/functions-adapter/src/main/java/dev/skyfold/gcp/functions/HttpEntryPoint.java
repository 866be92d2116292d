package dev.skyfold.gcp.functions;

import com.google.cloud.functions.HttpFunction;
import com.google.cloud.functions.HttpRequest;
import com.google.cloud.functions.HttpResponse;

/**
 * The entry point of every Skyfold HTTP function on Google Cloud
 * ({@code --entry-point=dev.skyfold.gcp.functions.HttpEntryPoint}): the Functions
 * Framework creates it, and it hands each request to the {@code HttpFunction} handler of
 * the function {@value SpringFunctions#DEFINITION} names.
 */
public class HttpEntryPoint implements HttpFunction {

	private final HttpFunction handler = SpringFunctions.handler(HttpFunction.class);

	@Override
	public void service(HttpRequest request, HttpResponse response) throws Exception {
		this.handler.service(request, response);
	}

}
