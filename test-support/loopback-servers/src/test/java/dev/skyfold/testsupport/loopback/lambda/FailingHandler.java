package dev.skyfold.testsupport.loopback.lambda;

import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** A handler that fails every invocation, for {@link LambdaFunctionIntegrationTests}. */
public final class FailingHandler implements RequestStreamHandler {

	@Override
	public void handleRequest(InputStream input, OutputStream output, Context context) {
		throw new IllegalArgumentException("no thanks");
	}

}
