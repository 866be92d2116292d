package dev.skyfold.azure.functions.sample;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * A tiny application for the injector's tests: one function bean, one handler bean, and a
 * count of how often it was started.
 */
@Configuration(proxyBeanMethods = false)
public class SampleApplication {

	/** How many times the application was started. */
	public static final AtomicInteger starts = new AtomicInteger();

	public SampleApplication() {
		starts.incrementAndGet();
	}

	@Bean
	Function<String, String> upperCase() {
		return (text) -> text.toUpperCase(java.util.Locale.ROOT);
	}

	@Bean
	BeanHandler beanHandler() {
		return new BeanHandler("from the context");
	}

}
