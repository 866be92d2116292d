package dev.skyfold.aws.lambda.autoconfigure;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Priming of the Lambda function, under {@code skyfold.lambda.priming}
 * ({@code SKYFOLD_LAMBDA_PRIMING_ENABLED}, {@code SKYFOLD_LAMBDA_PRIMING_ONINIT} on
 * Lambda).
 */
@ConfigurationProperties("skyfold.lambda.priming")
public class LambdaPrimingProperties {

	/**
	 * Whether to prime the function before a SnapStart snapshot: its path run once on
	 * built-in sample input, calling no service.
	 */
	private boolean enabled = true;

	/**
	 * Whether to prime the function at initialization as well, without a snapshot. It
	 * moves the first invocation's extra work into initialization: worth it where
	 * initialization is not billed or not waited for, not otherwise.
	 */
	private boolean onInit;

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public boolean isOnInit() {
		return this.onInit;
	}

	public void setOnInit(boolean onInit) {
		this.onInit = onInit;
	}

}
