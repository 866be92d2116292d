package dev.skyfold.testsupport.loopback.lambda;

import java.io.InputStream;
import java.io.OutputStream;

import com.amazonaws.services.lambda.runtime.Context;
import com.amazonaws.services.lambda.runtime.RequestStreamHandler;

/** A handler that cannot even be created, for {@link LambdaFunctionIntegrationTests}. */
public final class BrokenHandler implements RequestStreamHandler {

	public BrokenHandler() {
		throw new IllegalStateException("broken on purpose");
	}

	@Override
	public void handleRequest(InputStream input, OutputStream output, Context context) {
	}

}
