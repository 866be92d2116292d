package dev.skyfold.testsupport.azure;

import java.util.List;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

import com.microsoft.azure.functions.ExecutionContext;

/**
 * The context that the Java worker hands to a function, for tests: a logger of its own
 * whose records the test can read.
 */
public final class TestExecutionContext implements ExecutionContext {

	private final String functionName;

	private final String invocationId = UUID.randomUUID().toString();

	private final Logger logger;

	private final List<LogRecord> records = new CopyOnWriteArrayList<>();

	public TestExecutionContext(String functionName) {
		this.functionName = functionName;
		this.logger = Logger.getAnonymousLogger();
		this.logger.setLevel(Level.ALL);
		this.logger.addHandler(new Handler() {

			@Override
			public void publish(LogRecord record) {
				TestExecutionContext.this.records.add(record);
			}

			@Override
			public void flush() {
			}

			@Override
			public void close() {
			}

		});
	}

	@Override
	public Logger getLogger() {
		return this.logger;
	}

	@Override
	public String getInvocationId() {
		return this.invocationId;
	}

	@Override
	public String getFunctionName() {
		return this.functionName;
	}

	/**
	 * What the function logged at a level.
	 * @param level the level
	 * @return the messages, in order
	 */
	public List<String> messages(Level level) {
		return this.records.stream()
			.filter((record) -> record.getLevel().equals(level))
			.map(LogRecord::getMessage)
			.toList();
	}

}
