package dev.skyfold.testsupport.loopback.lambda;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** Answers with the event, its request id and the environment's greeting. */
public final class EchoHandler implements RequestStreamHandler {

	@Override
	public void handleRequest(InputStream input, OutputStream output, Context context) throws IOException {
		String event = new String(input.readAllBytes(), StandardCharsets.UTF_8);
		output.write(("{\"event\":" + event + ",\"requestId\":\"" + context.getAwsRequestId() + "\",\"greeting\":\""
				+ System.getenv("GREETING") + "\"}")
			.getBytes(StandardCharsets.UTF_8));
	}

}
